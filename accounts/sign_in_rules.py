"""Who may sign in with a password: everyone, or, when the council wants single sign-on
only, the named break-glass superusers (for when the provider is down)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def password_sign_in_on() -> bool:
    """Whether the sign-in page offers a password form to anyone at all."""
    return settings.SENDPLAN_PASSWORD_SIGN_IN or bool(settings.SENDPLAN_BREAK_GLASS_USERS)


def password_sign_in_allowed(user) -> bool:
    """Whether this account may sign in with its password (and reset it)."""
    if settings.SENDPLAN_PASSWORD_SIGN_IN:
        return True
    return user.is_superuser and user.username in settings.SENDPLAN_BREAK_GLASS_USERS


class PasswordBackend(ModelBackend):
    """Django's password sign-in, for the accounts allowed it."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and password_sign_in_allowed(user)
