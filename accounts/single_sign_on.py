"""Sign-in with the council's OpenID Connect provider (mozilla-django-oidc).

A person is who the provider's ID token says: its issuer and subject (Entra ID's object id
in its tenant), linked to one sendplan account (accounts/identities.py). Their e-mail
never makes them an existing account: someone signing in for the first time gets a new
user with no role, so they see nothing until a plan admin gives one, unless an account
already has their e-mail; then the sign-on waits until that account is proved or linked.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils.module_loading import import_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend, default_username_algo

from . import identities
from .models import HowLinked, SignOnIdentity

logger = logging.getLogger(__name__)

# The session's sign-on waiting for its account's password: {"identity": pk, "at": time}.
WAITING = "sign_on_waiting"
WAITING_SECONDS = 10 * 60


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def identity_of(id_token: dict) -> tuple[str, str]:
    """The (issuer, subject) that names the person, from the provider's signed ID token."""
    issuer = id_token.get("iss")
    if not issuer or not id_token.get("sub"):
        raise SuspiciousOperation("The ID token names no issuer or subject.")
    if id_token.get("oid") and id_token.get("tid"):
        # Entra ID's sub differs for each app the council registers; its oid does not.
        return issuer, f"{id_token['tid']}/{id_token['oid']}"
    return issuer, id_token["sub"]


def waiting_identity(session) -> SignOnIdentity | None:
    """The sign-on waiting in this session for its account's password, if recent."""
    waiting = session.get(WAITING)
    if not waiting or time.time() - waiting["at"] > WAITING_SECONDS:
        return None
    return (
        SignOnIdentity.objects.select_related("user")
        .filter(pk=waiting["identity"], linked_at=None)
        .first()
    )


def link_after_password(sender, request, user, **kwargs):
    """On user_logged_in: a password sign-in, soon after a sign-on that met this account's
    e-mail, proves the account is the person's; the sign-on is linked to it."""
    backend = getattr(user, "backend", None)
    if request is None or not backend:
        return
    if issubclass(import_string(backend), OIDCAuthenticationBackend):
        return
    identity = waiting_identity(request.session)
    if identity is None or identity.user_id != user.pk:
        return
    if identities.needs_service_administrator(user):
        messages.warning(
            request,
            "Your council account is not linked to this one: staff accounts are linked only "
            "by the service administrator.",
        )
        return
    identities.identity_link(identity=identity, by=user, how=HowLinked.PASSWORD)
    del request.session[WAITING]
    messages.success(request, "Your council account is now linked: next time, sign in with it.")


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

    def get_or_create_user(self, access_token, id_token, payload):
        self.request.session.pop(WAITING, None)
        # Entra ID's userinfo (Microsoft Graph) has no oid or tid: those come from the token.
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        issuer, subject = identity_of(payload)
        email = claims["email"].strip()
        identity = (
            SignOnIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            same_email = list(User.objects.filter(email__iexact=email)[:2])
            if not same_email:
                return self._new_account(issuer, subject, claims)
            if len(same_email) > 1:
                raise SuspiciousOperation(f"Several accounts have the e-mail {email}.")
            identity = identities.identity_record_waiting(
                issuer=issuer, subject=subject, user=same_email[0], email=email
            )
        if identity.is_linked:
            return identity.user
        logger.warning(
            "Single sign-on of %s waits: account %s has that e-mail and is not linked to it.",
            email,
            identity.user_id,
        )
        self.request.session[WAITING] = {"identity": identity.pk, "at": time.time()}
        self.request.sign_on_waits = True
        return None

    @transaction.atomic
    def _new_account(self, issuer: str, subject: str, claims: dict) -> User:
        user = self.create_user(claims)
        identities.identity_create_linked(
            issuer=issuer, subject=subject, user=user, email=user.email
        )
        return user

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
