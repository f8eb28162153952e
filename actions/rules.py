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
- **Exception** (needs the board's attention): open, and red, blocked, at risk, overdue or
  stale. The dashboard and the board pack list exceptions worst first (``worst_first``).
- **Better / worse**: a move up or down ``STATUS_ORDER`` or ``RAG_ORDER``.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .choices import Rag, Status


def today() -> datetime.date:
    return timezone.localdate()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after the area's day: what was written before it stood that day."""
    next_day = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


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


@dataclass(frozen=True)
class Attention:
    """Why an open action needs the board's attention; nothing is set for a completed one."""

    red: bool = False
    blocked: bool = False
    at_risk: bool = False
    overdue: bool = False
    stale: bool = False
    stale_days: int = 0

    @property
    def needed(self) -> bool:
        return self.red or self.blocked or self.at_risk or self.overdue or self.stale

    @property
    def reasons(self) -> list[str]:
        return [
            label
            for label, applies in [
                ("Red", self.red),
                ("Blocked", self.blocked),
                ("At risk", self.at_risk),
                ("Overdue", self.overdue),
                (f"No update for over {self.stale_days} days", self.stale),
            ]
            if applies
        ]

    @property
    def severity(self) -> tuple:
        """Larger is worse: first how many of red, blocked and overdue, then at risk, then
        stale."""
        return (self.red + self.blocked + self.overdue, self.at_risk, self.stale)


def attention(
    *,
    status: str,
    rag: str,
    due_date: datetime.date | None,
    last_activity: datetime.datetime,
    today: datetime.date,
    stale_days: int | None = None,
) -> Attention:
    if not is_open(status):
        return Attention()
    days = settings.SENDPLAN_STALE_AFTER_DAYS if stale_days is None else stale_days
    return Attention(
        red=rag == Rag.RED,
        blocked=status == Status.BLOCKED,
        at_risk=status == Status.AT_RISK,
        overdue=is_overdue(status=status, due_date=due_date, today=today),
        stale=is_stale(status=status, last_activity=last_activity, today=today, stale_days=days),
        stale_days=days,
    )


Item = TypeVar("Item")


def worst_first(
    items: Iterable[Item], *, attention_of: Callable[[Item], Attention], due_date_of
) -> list[Item]:
    """Exceptions, worst first: by severity, then the one due longest ago (no due date last),
    then in the order given (plan order)."""
    return sorted(
        items,
        key=lambda item: (
            tuple(-part for part in attention_of(item).severity),
            due_date_of(item) or datetime.date.max,
        ),
    )


# Better and worse: a move to the right is better. Not rated is not on the RAG scale, so a
# move to or from it is neither.
STATUS_ORDER = [
    Status.BLOCKED,
    Status.AT_RISK,
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]


def direction(*, old_status: str, new_status: str, old_rag: str, new_rag: str) -> int:
    """1 if an action got better, -1 if worse, 0 if neither. Any step down in status or RAG
    makes it worse, so a slip is never hidden by a step up in the other."""
    steps = [STATUS_ORDER.index(new_status) - STATUS_ORDER.index(old_status)]
    if old_rag in RAG_ORDER and new_rag in RAG_ORDER:
        steps.append(RAG_ORDER.index(new_rag) - RAG_ORDER.index(old_rag))
    if any(step < 0 for step in steps):
        return -1
    return 1 if any(step > 0 for step in steps) else 0
