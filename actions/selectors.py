"""Reads of actions that need care: history-derived timelines, and the pages' reads."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.conf import settings
from django.db.models import Case, Count, F, Max, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag
from django.utils import dateformat, timezone

from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy

from . import rules
from .choices import Rag, Status
from .models import Action, ActionOwner, ProgressUpdate, stale_q


@dataclass(frozen=True)
class StatusChange:
    when: datetime
    who: str
    old_status: str
    new_status: str
    old_rag: str
    new_rag: str
    note: str

    @property
    def old_status_label(self) -> str:
        return Status(self.old_status).label if self.old_status else ""

    @property
    def new_status_label(self) -> str:
        return Status(self.new_status).label

    @property
    def old_rag_label(self) -> str:
        return Rag(self.old_rag).label if self.old_status else ""

    @property
    def new_rag_label(self) -> str:
        return Rag(self.new_rag).label


def _who(history_row) -> str:
    user = history_row.history_user
    if user is None:
        return "System (command line)"
    return user.get_full_name() or user.get_username()


def action_status_timeline(action: Action) -> list[StatusChange]:
    """The action's status and RAG changes, oldest first, from its audit history.

    The first entry is the action's creation (no old status). One query, whatever the length.
    """
    rows = action.history.select_related("history_user").order_by("history_date", "history_id")
    timeline = []
    previous = None
    for row in rows:
        if row.history_type == "-":
            continue
        if previous is None or (previous.status, previous.rag) != (row.status, row.rag):
            timeline.append(
                StatusChange(
                    when=row.history_date,
                    who=_who(row),
                    old_status=previous.status if previous else "",
                    new_status=row.status,
                    old_rag=previous.rag if previous else "",
                    new_rag=row.rag,
                    note=row.history_change_reason or "",
                )
            )
        previous = row
    return timeline


# The pages' reads. Each runs a fixed number of queries, whatever the number of actions.

HistoricalAction = Action.history.model
# The action list's value for "no RAG rating", which is stored as "" (and "" means "any").
RAG_NOT_RATED = "not_rated"
_HISTORY_ORDER = [F("history_date").asc(), F("history_id").asc()]


# An action's owners in their "By whom" order.
_OWNERSHIPS = Prefetch(
    "ownerships", queryset=ActionOwner.objects.select_related("owner").order_by("order", "pk")
)


def _with_last_update(queryset):
    """The newest progress update's date and note on each action, as two subqueries."""
    newest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    return queryset.annotate(
        last_update_at=Subquery(newest.values("created_at")[:1]),
        last_update_note=Subquery(newest.values("note")[:1]),
    )


@dataclass
class PriorityActions:
    priority: Priority
    actions: list[Action]


def my_actions(user) -> list[PriorityActions]:
    """The actions of the owner roles the user holds in plans not archived, grouped by priority.

    Within a priority: open actions by due date (so overdue ones come first), then open
    actions with no due date, then completed ones. Two queries.
    """
    held = ActionOwner.objects.filter(owner__holdings__user=user).values("action_id")
    actions = (
        _with_last_update(
            Action.objects.filter(pk__in=held).exclude(
                priority__strategy__stage=StrategyStage.ARCHIVED
            )
        )
        .select_related("priority__strategy__area")
        .prefetch_related(_OWNERSHIPS)
        .annotate(completed=Case(When(status=Status.COMPLETED, then=1), default=0))
        .order_by(
            "priority__strategy__area__name",
            "priority__strategy__title",
            "priority__order",
            "priority__number",
            "completed",
            F("due_date").asc(nulls_last=True),
            "order",
            "reference",
        )
    )
    groups: list[PriorityActions] = []
    for action in actions:
        if not groups or groups[-1].priority.pk != action.priority_id:
            groups.append(PriorityActions(action.priority, []))
        groups[-1].actions.append(action)
    return groups


def action_for_page(pk: int) -> Action:
    """An action with what its page shows; raises Action.DoesNotExist."""
    return (
        Action.objects.select_related("priority__strategy__area")
        .prefetch_related(
            _OWNERSHIPS,
            "milestones",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed while a form was open."""

    label: str
    seen: str
    current: str
    who: str


_FIELD_LABELS = {
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


def changes_made_meanwhile(action: Action, changes: dict[str, tuple]) -> list[FieldChange]:
    """Who made each change in ``changes`` ({field: (seen, current)}), from the history.

    The person named is the last one to set the field to its current value. One query.
    """
    rows = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    result = []
    for field, (seen, current) in changes.items():
        who = ""
        for previous, row in pairwise(rows):
            if getattr(previous, field) != getattr(row, field):
                who = _who(row)
        result.append(
            FieldChange(
                label=_FIELD_LABELS[field],
                seen=_display(field, seen),
                current=_display(field, current),
                who=who,
            )
        )
    return result


def strategies_with_counts():
    """Every strategy with its number of actions, one query."""
    return (
        Strategy.objects.select_related("area")
        .annotate(action_count=Count("priorities__actions"))
        .order_by("area__name", "-start_year", "title")
    )


@dataclass
class CountRow:
    """Counts for one priority, or for the whole strategy when priority is None."""

    priority: Priority | None
    total: int = 0
    by_status: dict[str, int] = dataclass_field(default_factory=dict)
    by_rag: dict[str, int] = dataclass_field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    stale: int = 0

    @property
    def completed(self) -> int:
        return self.by_status.get(Status.COMPLETED, 0)

    @property
    def percent_completed(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    def status_counts(self) -> list[tuple[Status, int]]:
        return [(status, self.by_status.get(status, 0)) for status in Status]

    def rag_counts(self) -> list[tuple[Rag, int]]:
        return [(rag, self.by_rag.get(rag, 0)) for rag in Rag]

    def add(self, other: "CountRow") -> None:
        self.total += other.total
        for status, count in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count
        for rag, count in other.by_rag.items():
            self.by_rag[rag] = self.by_rag.get(rag, 0) + count
        self.overdue += other.overdue
        self.due_soon += other.due_soon
        self.stale += other.stale


@dataclass
class Dashboard:
    rows: list[CountRow]
    totals: CountRow
    stale_days: int
    due_soon_days: int


def dashboard_for_strategy(strategy: Strategy, today: date, stale_days: int) -> Dashboard:
    """Per priority: counts by status and RAG, overdue, due soon and stale (actions/rules.py).
    Two queries."""
    due_soon_days = settings.SENDPLAN_DUE_SOON_DAYS
    counts = {
        "total": Count("pk"),
        "overdue": Count("pk", filter=rules.overdue_q(today)),
        "due_soon": Count("pk", filter=rules.due_soon_q(today)),
        "stale": Count("pk", filter=stale_q(today, stale_days)),
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in Status.values},
        **{f"rag_{value}": Count("pk", filter=Q(rag=value)) for value in Rag.values},
    }
    per_priority = {
        row["priority_id"]: row
        for row in Action.objects.filter(priority__strategy=strategy)
        .values("priority_id")
        .annotate(**counts)
        .order_by()
    }
    totals = CountRow(priority=None)
    rows = []
    for priority in strategy.priorities.order_by("order", "number"):
        found = per_priority.get(priority.pk, {})
        row = CountRow(
            priority=priority,
            total=found.get("total", 0),
            by_status={value: found.get(f"status_{value}", 0) for value in Status.values},
            by_rag={value: found.get(f"rag_{value}", 0) for value in Rag.values},
            overdue=found.get("overdue", 0),
            due_soon=found.get("due_soon", 0),
            stale=found.get("stale", 0),
        )
        totals.add(row)
        rows.append(row)
    return Dashboard(rows, totals, stale_days, due_soon_days)


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
        # Only actions changed since then need their history read.
        id__in=HistoricalAction.objects.filter(history_date__gte=since).values("id"),
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
            change=StatusChange(
                when=row.history_date,
                who=_who(row),
                old_status=row.previous_status,
                new_status=row.status,
                old_rag=row.previous_rag,
                new_rag=row.rag,
                note=row.history_change_reason or "",
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


def filter_actions(strategy: Strategy, filters: dict, today: date):
    """The strategy's actions matching the action list's filters, in no particular order.

    filters: priority, owner, status, rag ("not_rated" for none), overdue, due_soon,
    stale (with stale_days), due_before; a missing or empty filter matches everything.
    """
    actions = Action.objects.filter(priority__strategy=strategy)
    if filters.get("priority"):
        actions = actions.filter(priority=filters["priority"])
    if filters.get("owner"):
        actions = actions.filter(
            pk__in=ActionOwner.objects.filter(owner=filters["owner"]).values("action_id")
        )
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("rag"):
        actions = actions.filter(rag="" if filters["rag"] == RAG_NOT_RATED else filters["rag"])
    if filters.get("overdue"):
        actions = actions.overdue(today)
    if filters.get("due_soon"):
        actions = actions.due_soon(today)
    if filters.get("stale"):
        actions = actions.stale(today, filters.get("stale_days"))
    if filters.get("due_before"):
        actions = actions.filter(due_date__lt=filters["due_before"])
    return actions


def action_list(strategy: Strategy, filters: dict, today: date) -> list[Action]:
    """The filtered actions with what the list page shows, in plan order. Two queries."""
    return list(
        _with_last_update(filter_actions(strategy, filters, today))
        .select_related("priority")
        .prefetch_related(_OWNERSHIPS)
        .order_by("priority__order", "priority__number", "order", "reference")
    )
