"""Who may sign in with a password: everyone, unless sign-on only is set; then only the
named break-glass superusers."""

from django.conf import settings


def password_sign_in_allowed(user) -> bool:
    return settings.SENDPLAN_PASSWORD_SIGN_IN or (
        user.is_superuser and user.username in getattr(settings, "SENDPLAN_BREAK_GLASS_USERS", [])
    )
