"""Linking single sign-on identities to accounts: every way in goes through here.

A first sign-on whose e-mail no account has gets a new account, linked. One whose e-mail
an account already has waits: the person proves the account with its password, or an
administrator links it. Staff and superuser accounts are linked only by the service
administrator (superuser), never by their password alone.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sendplan import roles
from sendplan.audit import delete_with_history, save_with_history

from .models import HowLinked, SignOnIdentity


def needs_service_administrator(user: User) -> bool:
    """Accounts that can change who may do what are linked by the service administrator."""
    return user.is_staff or user.is_superuser


def may_link(by: User, user: User) -> bool:
    """Whether ``by`` may link an identity to ``user``'s account, or unlink one from it."""
    if not by.is_active:
        return False
    if roles.acts_everywhere(by):
        return True
    if needs_service_administrator(user):
        return False
    # As for a password or an e-mail: only where every area the person works in is theirs.
    return roles.can_manage_person(by, user)


def identity_create_linked(*, issuer: str, subject: str, user: User, email: str):
    """The identity of someone whose first sign-on made their account."""
    identity = SignOnIdentity(
        issuer=issuer,
        subject=subject,
        user=user,
        email=email,
        linked_at=timezone.now(),
        how_linked=HowLinked.NEW_ACCOUNT,
    )
    save_with_history(identity, user=user, reason="First sign-on: a new account")
    return identity


def identity_record_waiting(*, issuer: str, subject: str, user: User, email: str):
    """A sign-on that met ``user``'s e-mail: kept, not linked, until proved or linked."""
    identity = SignOnIdentity(issuer=issuer, subject=subject, user=user, email=email)
    save_with_history(
        identity, user=None, reason="Signed on with an account's e-mail: waiting for a link"
    )
    return identity


@transaction.atomic
def identity_link(*, identity: SignOnIdentity, by: User, how: str) -> None:
    """Link a waiting identity to its account, by an administrator or by the password."""
    user = identity.user
    if how == HowLinked.PASSWORD:
        allowed = by == user and not needs_service_administrator(user)
    else:
        allowed = may_link(by, user)
    if not allowed:
        raise PermissionDenied(
            "Only the service administrator links a sign-on to a staff or superuser account."
            if needs_service_administrator(user)
            else "You cannot link sign-ons to this account."
        )
    identity.linked_at = timezone.now()
    identity.linked_by = by
    identity.how_linked = how
    save_with_history(identity, user=by, reason=f"Linked: {HowLinked(how).label}")


@transaction.atomic
def identity_unlink(*, identity: SignOnIdentity, by: User) -> None:
    """Remove the identity: its next sign-on is a first one again, and waits."""
    if not may_link(by, identity.user):
        raise PermissionDenied("You cannot unlink sign-ons from this account.")
    delete_with_history(identity, user=by, reason="Unlinked by an administrator")
