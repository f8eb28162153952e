"""When a reminder may be sent again: the rules read against the record of what was sent.

The selectors use them to find what is due; the delivery service uses them again, under
the recipient's lock, against fresh rows, before it claims anything (docs/decisions/0007).
"""

import datetime

from django.conf import settings
from django.db.models import Q

from .choices import Reason
from .models import SentReminder

# A claim with no sent_at older than this was left by a run that died before it could
# mark or release it: the next run takes it over. Longer than any one e-mail's sending.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def cadence_days(reason: str) -> int:
    if reason == Reason.ROUND_CHASER:
        return settings.SENDPLAN_ROUND_CHASE_EVERY_DAYS
    return settings.SENDPLAN_REMINDER_CADENCE_DAYS


def rows_that_matter(*, today: datetime.date, recipient_ids=None):
    """Rows that can stop something being sent: recent ones, claims in flight, and every
    row of a round whose meeting has not happened (a request is sent once per round)."""
    longest = max(settings.SENDPLAN_REMINDER_CADENCE_DAYS, settings.SENDPLAN_ROUND_CHASE_EVERY_DAYS)
    rows = SentReminder.objects.filter(
        Q(sent_at__isnull=True)
        | Q(window_start__gt=today - datetime.timedelta(days=longest))
        | Q(round__meeting__date__gte=today)
    )
    if recipient_ids is not None:
        rows = rows.filter(recipient_id__in=recipient_ids)
    return rows.only(
        "recipient_id", "action_id", "reason", "round_id", "window_start", "claimed_at", "sent_at"
    )


def in_flight(row: SentReminder, now: datetime.datetime) -> bool:
    return row.sent_at is None and row.claimed_at > now - CLAIM_TIMEOUT


def blocks(row: SentReminder, *, now: datetime.datetime, today: datetime.date) -> bool:
    """Whether this row stops the same person getting the same action for the same reason
    (and round) now: a claim in flight, a round's request already sent, or a reminder sent
    within its cadence."""
    if row.sent_at is None:
        return in_flight(row, now)
    if row.reason == Reason.ROUND_REQUEST:
        return True
    return row.window_start > today - datetime.timedelta(days=cadence_days(row.reason))


def chase_allowed(rows, *, round_id: int, now: datetime.datetime) -> bool:
    """A person may be chased for a round once asked, and no sooner than the chase setting
    after the last e-mail of that round, with none in flight."""
    mine = [row for row in rows if row.round_id == round_id]
    sent = [row.sent_at for row in mine if row.sent_at]
    if any(in_flight(row, now) for row in mine) or not any(
        row.reason == Reason.ROUND_REQUEST and row.sent_at for row in mine
    ):
        return False
    every = datetime.timedelta(days=settings.SENDPLAN_ROUND_CHASE_EVERY_DAYS)
    return max(sent) <= now - every
