"""Sign-in with the council's OpenID Connect provider (mozilla-django-oidc).

People are matched to sendplan users by e-mail, whatever its case. Someone signing in for
the first time gets a user with no role, so they see nothing until a plan admin gives one.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from mozilla_django_oidc.auth import OIDCAuthenticationBackend, default_username_algo

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        email = claims.get("email")
        if not email:
            logger.warning("Single sign-on refused: the provider sent no e-mail address.")
            return False
        # A provider that says it has not checked the address cannot vouch for it.
        if claims.get("email_verified") is False:
            logger.warning("Single sign-on refused: %s is not verified by the provider.", email)
            return False
        return True

    def create_user(self, claims) -> User:
        email = claims["email"].strip()
        username = email.lower()[:150]
        if User.objects.filter(username=username).exists():
            username = default_username_algo(email, claims)
        user = User.objects.create_user(
            username,
            email=email,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
        )
        if not (user.first_name or user.last_name) and claims.get("name"):
            user.first_name = claims["name"][:150]
            user.save(update_fields=["first_name"])
        logger.warning("Single sign-on created user %s (%s) with no role.", user.pk, email)
        return user
