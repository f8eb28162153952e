"""Sending: claim what is due, send one e-mail per digest, record it (docs/decisions/0007).

Each digest is claimed under its recipient's lock by inserting a row per item (the unique
constraints make a second claim of the same item fail), sent once the claim is committed,
then marked sent; a failed send releases its claim, so the items stay due for the next run.
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from sendplan.roles import can_manage_governance, require_in_areas

from . import ledger, selectors
from .choices import Cadence
from .digests import Digest, Kind
from .emails import digest_message
from .models import Preference, SentReminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    digest: Digest
    result: str  # "sent", "dry run", "no e-mail address", "already handled", "failed: ..."

    def __str__(self):
        return f"{self.digest.describe()} [{self.result}]"


def _claim(digest: Digest, *, token: uuid.UUID, now) -> list | None:
    """Claim the digest's items still due, under the recipient's lock; None when another
    run holds the lock or won the race."""
    today = timezone.localdate(now)
    recipient = digest.recipient
    Preference.objects.get_or_create(user=recipient)
    try:
        with transaction.atomic():
            locked = (
                Preference.objects.select_for_update(skip_locked=True)
                .filter(user=recipient)
                .values_list("pk", flat=True)
            )
            if not list(locked):
                return None
            # Claims left by a run that died are released here, so their items are due again.
            SentReminder.objects.filter(
                recipient=recipient,
                sent_at__isnull=True,
                claimed_at__lte=now - ledger.CLAIM_TIMEOUT,
            ).delete()
            rows = list(ledger.rows_that_matter(today=today, recipient_ids=[recipient.pk]))
            if digest.kind == Kind.ROUND_CHASER and not ledger.chase_allowed(
                rows, round_id=digest.round.pk, now=now
            ):
                return []
            items = [
                item
                for item in digest.items
                if not any(
                    item.matches(row) and ledger.blocks(row, now=now, today=today) for row in rows
                )
            ]
            SentReminder.objects.bulk_create(
                [
                    SentReminder(
                        recipient=recipient,
                        action=item.action,
                        reason=item.reason,
                        round=item.round,
                        window_start=today,
                        claimed_at=now,
                        claim=token,
                        email=recipient.email,
                    )
                    for item in items
                ]
            )
            return items
    except IntegrityError:
        return None  # another run claimed the same item first
    except OperationalError as error:
        # SQLite's "database is locked": another run is writing; this person's items stay
        # due for the next run.
        logger.warning("Could not claim e-mails to %s: %s", recipient, error)
        return None


def deliver(digests: list[Digest], *, dry_run: bool = False, connection=None) -> list[Outcome]:
    """Send each digest at most once; with dry_run, only say what would be sent."""
    outcomes = []
    for digest in digests:
        if not digest.recipient.email:
            outcomes.append(Outcome(digest, "no e-mail address"))
            continue
        if dry_run:
            outcomes.append(Outcome(digest, "dry run"))
            continue
        outcomes.append(_deliver_one(digest, connection=connection))
    return outcomes


def _deliver_one(digest: Digest, *, connection) -> Outcome:
    token = uuid.uuid4()
    now = timezone.now()
    items = _claim(digest, token=token, now=now)
    if not items:
        return Outcome(digest, "already handled")
    digest.items = items
    try:
        digest_message(digest, connection=connection).send()
    except Exception as error:  # any failure of the mail server: keep the items due
        SentReminder.objects.filter(claim=token, sent_at__isnull=True).delete()
        logger.warning("E-mail to %s failed: %s", digest.recipient.email, error)
        return Outcome(digest, f"failed: {error.__class__.__name__}: {error}")
    SentReminder.objects.filter(claim=token).update(sent_at=timezone.now())
    return Outcome(digest, "sent")


def reminders_send(*, dry_run: bool = False) -> list[Outcome]:
    """One run: owners' reminders, escalations, then round requests and chasers due."""
    now = timezone.now()
    today = timezone.localdate(now)
    digests = selectors.due_reminders(today=today, now=now)
    for update_round in selectors.active_rounds(today):
        digests += selectors.round_requests(update_round, now=now)
        digests += selectors.round_chasers(update_round, now=now)
    return deliver(digests, dry_run=dry_run)


def round_requests_send(*, update_round) -> list[Outcome]:
    """Ask every holder of the round's actions to update them (at the round's start)."""
    return deliver(selectors.round_requests(update_round, now=timezone.now()))


def round_chase(*, update_round, user) -> list[Outcome]:
    """ "Chase the rest now": the owners not yet updated who may be chased today."""
    if not can_manage_governance(user):
        raise PermissionDenied("Only plan administrators chase an update round.")
    require_in_areas(user, update_round, perm="governance.change_meeting")
    return deliver(selectors.round_chasers(update_round, now=timezone.now()))


@transaction.atomic
def preference_save(*, user, cadence: str) -> Preference:
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.cadence = Cadence(cadence)
    preference.full_clean()
    preference.save()
    return preference
