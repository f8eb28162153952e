"""What an action's audit history says: timelines, changes since, completion over time.

The history tables are the one record of changes (docs/decisions/0001).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import F, Max, Q
from django.db.models.expressions import Window
from django.db.models.functions import Lag
from django.utils import dateformat, timezone

from priorities.models import Priority, Strategy

from ..choices import Rag, Status
from ..models import Action

HistoricalAction = Action.history.model
_HISTORY_ORDER = [F("history_date").asc(), F("history_id").asc()]


def _label(choices, field: str, *, shown_when: str = ""):
    """A property giving the label of ``field``'s value; "" while ``shown_when`` is empty."""
    return property(
        lambda change: (
            choices(getattr(change, field)).label if getattr(change, shown_when or field) else ""
        )
    )


@dataclass(frozen=True)
class StatusChange:
    when: datetime
    who: str
    old_status: str
    new_status: str
    old_rag: str
    new_rag: str
    note: str

    # A creation has no old values; "" is also a RAG value (not rated), hence old_status.
    old_status_label = _label(Status, "old_status")
    new_status_label = _label(Status, "new_status")
    old_rag_label = _label(Rag, "old_rag", shown_when="old_status")
    new_rag_label = _label(Rag, "new_rag", shown_when="new_status")

    @classmethod
    def from_row(cls, row, *, old_status: str, old_rag: str) -> "StatusChange":
        return cls(
            when=row.history_date,
            who=_who(row),
            old_status=old_status,
            new_status=row.status,
            old_rag=old_rag,
            new_rag=row.rag,
            note=row.history_change_reason or "",
        )


def _who(history_row) -> str:
    user = history_row.history_user
    if user is None:
        return "System (command line)"
    return user.get_full_name() or user.get_username()


def _rows(action: Action):
    return action.history.select_related("history_user").order_by("history_date", "history_id")


def action_status_timeline(action: Action) -> list[StatusChange]:
    """The action's status and RAG changes, oldest first, from its audit history.

    The first entry is the action's creation (no old status). One query, whatever the length.
    """
    timeline = []
    previous = None
    for row in _rows(action):
        if row.history_type == "-":
            continue
        if previous is None or (previous.status, previous.rag) != (row.status, row.rag):
            timeline.append(
                StatusChange.from_row(
                    row,
                    old_status=previous.status if previous else "",
                    old_rag=previous.rag if previous else "",
                )
            )
        previous = row
    return timeline


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed while a form was open."""

    label: str
    seen: str
    current: str
    who: str


# What a form left open is told changed meanwhile, with the labels it shows.
MEANWHILE_FIELD_LABELS = {
    "status": "Status",
    "rag": "RAG rating",
    "percent_complete": "Percent complete",
    "due_date": "Due date",
    "text": "Action",
}


def _display(field: str, value) -> str:
    if field == "status":
        return Status(value).label
    if field == "rag":
        return Rag(value).label
    if field == "percent_complete":
        return f"{value}%"
    if field == "due_date":
        return dateformat.format(value, "j F Y") if value else "No due date"
    return str(value)


def changes_since_version(current: Action, seen_version: int) -> dict[str, tuple]:
    """{field: (seen, current)} for what other saves changed since the version a user saw,
    from that version's history row. One query."""
    seen = current.history.filter(version=seen_version).order_by("-history_id").first()
    return {} if seen is None else differences(seen, current, MEANWHILE_FIELD_LABELS)


def differences(before, after, fields: Iterable[str]) -> dict[str, tuple]:
    """{field: (before's value, after's value)} for those of ``fields`` that differ."""
    return {
        field: (getattr(before, field), getattr(after, field))
        for field in fields
        if getattr(before, field) != getattr(after, field)
    }


def changes_made_meanwhile(action: Action, changes: dict[str, tuple]) -> list[FieldChange]:
    """Who made each change in ``changes`` ({field: (seen, current)}), from the history.

    The person named is the last one to set the field to its current value. One query.
    """
    rows = list(_rows(action))
    result = []
    for field, (seen, current) in changes.items():
        who = ""
        for previous, row in pairwise(rows):
            if getattr(previous, field) != getattr(row, field):
                who = _who(row)
        result.append(
            FieldChange(
                label=MEANWHILE_FIELD_LABELS[field],
                seen=_display(field, seen),
                current=_display(field, current),
                who=who,
            )
        )
    return result


@dataclass(frozen=True)
class PlanChange:
    """A status or RAG change to one action of a plan."""

    action_id: int
    reference: str
    text: str
    priority: Priority
    change: StatusChange


def status_changes_since(strategy: Strategy, since: datetime) -> list[PlanChange]:
    """Status and RAG changes to the strategy's actions since a moment, newest first.

    One query: LAG over each action's history gives the row before each change, even when
    that row is older than ``since``.
    """
    lagged = HistoricalAction.objects.filter(
        priority__strategy=strategy,
        # Only the plan's actions changed since then need their history read: the plan
        # first, then the date, so other areas' history is never scanned.
        id__in=HistoricalAction.objects.filter(
            priority__strategy=strategy, history_date__gte=since
        ).values("id"),
    ).annotate(
        previous_status=Window(Lag("status"), partition_by=[F("id")], order_by=_HISTORY_ORDER),
        previous_rag=Window(Lag("rag"), partition_by=[F("id")], order_by=_HISTORY_ORDER),
        # Django applies filters on window expressions after computing them, and plain
        # filters before. The date filter must come after, or the first change since then
        # would lose its previous row; so the row's own date is read through a window too.
        changed_at=Window(Max("history_date"), partition_by=[F("history_id")]),
    )
    rows = (
        lagged.filter(changed_at__gte=since, previous_status__isnull=False)
        .filter(~Q(status=F("previous_status")) | ~Q(rag=F("previous_rag")))
        .exclude(history_type="-")
        .select_related("history_user", "priority")
        .order_by("-history_date", "-history_id")
    )
    return [
        PlanChange(
            action_id=row.id,
            reference=row.reference,
            text=row.text,
            priority=row.priority,
            change=StatusChange.from_row(
                row, old_status=row.previous_status, old_rag=row.previous_rag
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MonthEnd:
    label: str
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def completion_over_time(strategy: Strategy, today: date, months: int = 12) -> list[MonthEnd]:
    """Completed actions at each month end (and today), from the audit history. One query.

    Reads only the rows where an action became completed or stopped being completed, and
    where an action was created or deleted (for the number of actions at each point).
    """
    is_completed = Q(status=Status.COMPLETED)
    was_completed = Q(previous_status=Status.COMPLETED)
    events = (
        HistoricalAction.objects.filter(priority__strategy=strategy)
        .annotate(
            previous_status=Window(Lag("status"), partition_by=[F("id")], order_by=_HISTORY_ORDER)
        )
        .filter(
            Q(history_type__in=["+", "-"])
            | (is_completed & ~was_completed)
            | (was_completed & ~is_completed)
        )
        .values_list("history_date", "history_type", "status", "previous_status")
        .order_by("history_date", "history_id")
    )
    events = list(events)
    if not events:
        return []
    first = timezone.localtime(events[0][0]).date().replace(day=1)
    start = max(first, _add_months(today.replace(day=1), -(months - 1)))
    ends = []  # (label, the moment the count is taken)
    month = start
    while month <= today:
        next_month = _add_months(month, 1)
        if next_month > today:
            ends.append(("Today", timezone.now()))
        else:
            last_day = dateformat.format(next_month - timedelta(days=1), "j M Y")
            ends.append((last_day, timezone.make_aware(datetime.combine(next_month, time.min))))
        month = next_month
    result = []
    completed = total = 0
    position = 0
    for label, moment in ends:
        while position < len(events) and events[position][0] < moment:
            _, kind, status, previous = events[position]
            if kind == "+":
                total += 1
                completed += status == Status.COMPLETED
            elif kind == "-":
                total -= 1
                completed -= status == Status.COMPLETED
            elif status == Status.COMPLETED:
                completed += 1
            elif previous == Status.COMPLETED:
                completed -= 1
            position += 1
        result.append(MonthEnd(label, completed, total))
    return result


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
