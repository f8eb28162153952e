"""What open, overdue, due soon and stale mean: the one definition of each.

The model's properties, the queryset methods, the dashboard, the board pack, the admin
filter and the reminders all ask here, so an action is overdue or stale on every page or
on none. Days are the area's days: ``timezone.localdate()`` in ``TIME_ZONE``.

- **Open**: not completed.
- **Overdue**: open, with a due date before today.
- **Due soon**: open, due from today to ``SENDPLAN_DUE_SOON_DAYS`` days ahead.
- **Stale**: open, and its last activity (its newest progress update, or its first record
  when it has none) came before the start of the day ``SENDPLAN_STALE_AFTER_DAYS`` days
  ago. A plan imported yesterday is not stale; one whose owners went quiet is.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .choices import Status


def today() -> datetime.date:
    return timezone.localdate()


def is_open(status: str) -> bool:
    return status != Status.COMPLETED


def is_overdue(*, status: str, due_date: datetime.date | None, today: datetime.date) -> bool:
    return is_open(status) and due_date is not None and due_date < today


def due_soon_until(today: datetime.date, days: int | None = None) -> datetime.date:
    """The last due date that counts as due soon."""
    return today + datetime.timedelta(
        days=settings.SENDPLAN_DUE_SOON_DAYS if days is None else days
    )


def is_due_soon(*, status: str, due_date: datetime.date | None, today: datetime.date) -> bool:
    return is_open(status) and due_date is not None and today <= due_date <= due_soon_until(today)


def stale_cutoff(today: datetime.date, stale_days: int | None = None) -> datetime.datetime:
    """The start of the area's day ``stale_days`` before today: activity since then is recent."""
    days = settings.SENDPLAN_STALE_AFTER_DAYS if stale_days is None else stale_days
    start = today - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def is_stale(
    *,
    status: str,
    last_activity: datetime.datetime,
    today: datetime.date,
    stale_days: int | None = None,
) -> bool:
    return is_open(status) and last_activity < stale_cutoff(today, stale_days)


def open_q() -> Q:
    return ~Q(status=Status.COMPLETED)


def overdue_q(today: datetime.date) -> Q:
    return open_q() & Q(due_date__lt=today)


def due_soon_q(today: datetime.date) -> Q:
    return open_q() & Q(due_date__gte=today, due_date__lte=due_soon_until(today))
