"""The demo's users have passwords printed in the README: never on a real server."""

from django.conf import settings
from django.core.management.base import CommandError


def ensure_demo_allowed() -> None:
    if not settings.SENDPLAN_DEMO_ALLOWED:
        raise CommandError(
            "The demo is refused under these settings: it creates staff users whose "
            "passwords are published in the README. Load it only in development "
            "(SENDPLAN_DEMO_ALLOWED is off in production)."
        )
