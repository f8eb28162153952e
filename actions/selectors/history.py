"""What an action's audit history says: timelines, changes since, completion over time.

The history tables are the one record of changes (docs/decisions/0001).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import F, Max, Q
from django.db.models.expressions import Window
from django.db.models.functions import Lag, RowNumber
from django.utils import dateformat, timezone

from priorities.models import Priority, Strategy

from .. import rules
from ..choices import Rag, Status
from ..models import Action, ProgressUpdate

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
    return _author(history_row.history_user)


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


# What a timeline reports the change of, in the order it lists them.
TIMELINE_FIELDS = {
    "status": "Status",
    "rag": "RAG rating",
    "percent_complete": "Percent complete",
    "due_date": "Due date",
}
# A progress note saved with a change is one event: the note row is written in the same
# transaction as the history row, so within this much time of it.
_SAME_UPDATE = timedelta(minutes=1)


@dataclass(frozen=True)
class Change:
    """One field of an action, from one value to another, as the pages show them."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Event:
    """Something that happened to an action: fields changed, a progress note, or its creation.

    ``changes`` holds only fields whose value changed; a note on its own has none.
    """

    when: datetime
    who: str
    action_id: int
    reference: str
    text: str
    changes: tuple[Change, ...] = ()
    note: str = ""
    created: bool = False

    @property
    def kind(self) -> str:
        if self.created:
            return "Created"
        return "Change" if self.changes else "Progress note"


def _changes(before, after) -> tuple[Change, ...]:
    return tuple(
        Change(field, label, _display(field, old), _display(field, new))
        for field, label in TIMELINE_FIELDS.items()
        for old, new in [(getattr(before, field), getattr(after, field))]
        if old != new
    )


def _with_notes(events: list[Event], updates) -> list[Event]:
    """The events and the progress updates not already carried as a change's note, newest first."""
    noted = {}
    for event in events:
        if event.note:
            noted.setdefault((event.action_id, event.note), []).append(event.when)
    for update in updates:
        times = noted.get((update.action_id, update.note), [])
        if any(abs(when - update.created_at) <= _SAME_UPDATE for when in times):
            continue
        events.append(
            Event(
                when=update.created_at,
                who=_author(update.author),
                action_id=update.action_id,
                reference=update.action.reference,
                text=update.action.text,
                note=update.note,
            )
        )
    return sorted(events, key=lambda event: event.when, reverse=True)


def _author(user) -> str:
    if user is None:
        return "System (command line)"
    return user.get_full_name() or user.get_username()


def action_timeline(action: Action) -> list[Event]:
    """The action's one timeline, newest first: its creation, changes of status, RAG,
    percent and due date, and progress notes. One query for the history; the updates
    come from ``action.updates.all()`` (prefetched with their authors by the page)."""
    events = []
    previous = None
    for row in _rows(action):
        if row.history_type == "-":
            continue
        if previous is None:
            recorded = tuple(
                Change(field, TIMELINE_FIELDS[field], "", _display(field, getattr(row, field)))
                for field in ("status", "rag")
            )
            events.append(_event(row, changes=recorded, created=True))
        elif changes := _changes(previous, row):
            events.append(_event(row, changes=changes))
        previous = row
    updates = list(action.updates.all())
    for update in updates:
        update.action = action  # its reference and text, without a query per update
    return _with_notes(events, updates)


def _event(row, *, changes: tuple[Change, ...] = (), created: bool = False) -> Event:
    return Event(
        when=row.history_date,
        who=_who(row),
        action_id=row.id,
        reference=row.reference,
        text=row.text,
        changes=changes,
        note=row.history_change_reason or "",
        created=created,
    )


def plan_events(strategy: Strategy, since: datetime, until: datetime | None = None) -> list[Event]:
    """Changes of status, RAG, percent and due date to the strategy's actions, and their
    progress notes, from ``since`` up to ``until``, newest first. Two queries.

    LAG over each action's history gives the row before each change, even when that row is
    older than ``since``; only the fields that changed are reported.
    """
    lags = {
        f"previous_{field}": Window(Lag(field), partition_by=[F("id")], order_by=_HISTORY_ORDER)
        for field in TIMELINE_FIELDS
    }
    lagged = HistoricalAction.objects.filter(
        priority__strategy=strategy,
        # Only the plan's actions changed since then need their history read: the plan
        # first, then the date, so other areas' history is never scanned.
        id__in=HistoricalAction.objects.filter(
            priority__strategy=strategy, history_date__gte=since
        ).values("id"),
    ).annotate(
        **lags,
        # Django applies filters on window expressions after computing them, and plain
        # filters before. The date filter must come after, or the first change since then
        # would lose its previous row; so the row's own date is read through a window too.
        changed_at=Window(Max("history_date"), partition_by=[F("history_id")]),
    )
    window = Q(changed_at__gte=since, previous_status__isnull=False)
    if until is not None:
        window &= Q(changed_at__lt=until)
    rows = (
        lagged.filter(window)
        .exclude(history_type="-")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    events = []
    for row in rows:
        before = _Previous(
            **{field: getattr(row, f"previous_{field}") for field in TIMELINE_FIELDS}
        )
        if changes := _changes(before, row):
            events.append(_event(row, changes=changes))
    updates = ProgressUpdate.objects.filter(
        action__priority__strategy=strategy, created_at__gte=since
    ).select_related("author", "action")
    if until is not None:
        updates = updates.filter(created_at__lt=until)
    return _with_notes(events, updates)


@dataclass(frozen=True)
class _Previous:
    status: str
    rag: str
    percent_complete: int
    due_date: date | None


@dataclass
class Travel:
    """How many actions of a priority (or the plan, when priority is None) moved since then."""

    priority: Priority | None
    better: int = 0
    worse: int = 0
    completed: int = 0
    newly_overdue: int = 0

    def add(self, other: "Travel") -> None:
        self.better += other.better
        self.worse += other.worse
        self.completed += other.completed
        self.newly_overdue += other.newly_overdue


@dataclass
class DirectionOfTravel:
    rows: list[Travel]
    totals: Travel


@dataclass(frozen=True)
class Since:
    """The moment a dashboard compares with, and how the page names it."""

    moment: datetime
    day: date
    label: str


def since_last_meeting(strategy: Strategy, today: date, default_days: int = 30) -> Since:
    """The end of the day of the plan's most recent past meeting, of any board monitoring it
    (read through the plan's ``meetings``, so actions imports nothing of governance); with
    none, the start of the day ``default_days`` ago. One query."""
    meeting = (
        strategy.meetings.select_related("board")
        .filter(date__lt=today)
        .order_by("-date", "-pk")
        .first()
    )
    if meeting is not None:
        label = f"the {meeting.board.name} meeting of {dateformat.format(meeting.date, 'j F Y')}"
        return Since(rules.end_of_day(meeting.date), meeting.date, label)
    day = today - timedelta(days=default_days)
    label = f"{default_days} days ago, {dateformat.format(day, 'j F Y')} (no meeting held yet)"
    return Since(rules.end_of_day(day - timedelta(days=1)), day, label)


def direction_of_travel(
    strategy: Strategy, *, since: datetime, since_day: date, today: date
) -> DirectionOfTravel:
    """Per priority and overall: actions that got better or worse (actions/rules.py
    ``direction``), were completed, or became overdue between ``since`` and now. Actions
    added since then are in none of these. Three queries.
    """
    newest_first = [F("history_date").desc(), F("history_id").desc()]
    ever_in_plan = HistoricalAction.objects.filter(priority__strategy=strategy).values("id")
    then = {
        row["id"]: row
        for row in HistoricalAction.objects.filter(id__in=ever_in_plan, history_date__lt=since)
        .annotate(newest=Window(RowNumber(), partition_by=[F("id")], order_by=newest_first))
        .filter(newest=1)
        .exclude(history_type="-")
        .values("id", "status", "rag", "due_date")
    }
    by_priority = {p.pk: Travel(p) for p in strategy.priorities.order_by("order", "number")}
    for now in Action.objects.filter(priority__strategy=strategy).values(
        "id", "priority_id", "status", "rag", "due_date"
    ):
        was = then.get(now["id"])
        if was is None:
            continue
        row = by_priority[now["priority_id"]]
        moved = rules.direction(
            old_status=was["status"],
            new_status=now["status"],
            old_rag=was["rag"],
            new_rag=now["rag"],
        )
        row.better += moved > 0
        row.worse += moved < 0
        row.completed += now["status"] == Status.COMPLETED and was["status"] != Status.COMPLETED
        row.newly_overdue += rules.is_overdue(
            status=now["status"], due_date=now["due_date"], today=today
        ) and not rules.is_overdue(status=was["status"], due_date=was["due_date"], today=since_day)
    totals = Travel(None)
    for row in by_priority.values():
        totals.add(row)
    return DirectionOfTravel(list(by_priority.values()), totals)


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
