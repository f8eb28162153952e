"""What the officer's and the board's pages show of the plan as it stands.

Each read runs a fixed number of queries, whatever the number of actions.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, When

from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy
from sendplan.roles import within_areas

from .. import rules
from ..choices import RAG_NOT_RATED, Rag, Status
from ..models import Action, ActionOwner, ProgressUpdate, stale_q

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


class Urgency:
    """My actions' sections, in the order the page lists them (actions/rules.py decides)."""

    OVERDUE, DUE_SOON, LATER, COMPLETED = range(4)
    HEADINGS = {
        OVERDUE: "Overdue",
        DUE_SOON: "Due soon",
        LATER: "Due later or with no due date",
        COMPLETED: "Completed",
    }


@dataclass
class UrgencySection:
    urgency: int
    heading: str
    actions: list[Action]


@dataclass
class MyActions:
    sections: list[UrgencySection]
    overdue: int
    due_soon: int
    total: int


def _mine(user):
    """The actions of the owner roles the user holds, in plans not archived."""
    held = ActionOwner.objects.filter(owner__holdings__user=user).values("action_id")
    return within_areas(user, Action.objects.filter(pk__in=held)).exclude(
        priority__strategy__stage=StrategyStage.ARCHIVED
    )


def my_plans(user) -> list[Strategy]:
    """The plans (not archived) the user holds actions in, for My actions' filter. One query."""
    return list(
        Strategy.objects.filter(pk__in=_mine(user).values("priority__strategy")).order_by(
            "area__name", "-start_year", "title"
        )
    )


def my_actions(
    user, *, today: date, strategy: Strategy | None = None, status: str = ""
) -> MyActions:
    """The actions of the owner roles the user holds in plans not archived, optionally of
    one plan and status: overdue first, then due soon, then the other open ones, then
    completed (actions/rules.py); within each, soonest due first. Two queries."""
    mine = _mine(user)
    if strategy is not None:
        mine = mine.filter(priority__strategy=strategy)
    if status:
        mine = mine.filter(status=status)
    actions = (
        _with_last_update(mine)
        .select_related("priority__strategy__area")
        .prefetch_related(_OWNERSHIPS)
        .annotate(
            urgency=Case(
                When(rules.overdue_q(today), then=Urgency.OVERDUE),
                When(rules.due_soon_q(today), then=Urgency.DUE_SOON),
                When(rules.open_q(), then=Urgency.LATER),
                default=Urgency.COMPLETED,
            )
        )
        .order_by(
            "urgency",
            F("due_date").asc(nulls_last=True),
            "priority__strategy__title",
            "priority__order",
            "priority__number",
            "order",
            "reference",
        )
    )
    sections: list[UrgencySection] = []
    for action in actions:
        if not sections or sections[-1].urgency != action.urgency:
            heading = Urgency.HEADINGS[action.urgency]
            sections.append(UrgencySection(action.urgency, heading, []))
        sections[-1].actions.append(action)
    counts = {section.urgency: len(section.actions) for section in sections}
    return MyActions(
        sections=sections,
        overdue=counts.get(Urgency.OVERDUE, 0),
        due_soon=counts.get(Urgency.DUE_SOON, 0),
        total=sum(counts.values()),
    )


def action_for_page(pk: int, user) -> Action:
    """An action of the user's areas with what its page shows; raises Action.DoesNotExist."""
    return (
        within_areas(user, Action.objects.select_related("priority__strategy__area"))
        .prefetch_related(
            _OWNERSHIPS,
            "milestones",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        )
        .get(pk=pk)
    )


def action_for_update(pk: int, user) -> Action:
    """An action of the user's areas with what its update form shows beside the form: its
    plan, owners, milestones and newest note. Three queries; raises Action.DoesNotExist."""
    return (
        _with_last_update(within_areas(user, Action.objects.filter(pk=pk)))
        .select_related("priority__strategy__area")
        .prefetch_related(_OWNERSHIPS, "milestones")
        .get()
    )


def strategies_with_counts(user):
    """The strategies of the user's areas with their numbers of actions, one query."""
    return (
        within_areas(user, Strategy.objects.select_related("area"))
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


_NEVER = datetime(1900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class NeedsAttention:
    """An open action that needs the board's attention, and why (actions/rules.py)."""

    action: Action
    attention: rules.Attention


def plan_exceptions(strategy: Strategy, today: date, stale_days: int) -> list[NeedsAttention]:
    """The strategy's exceptions as they stand, worst first, with owners and last update.
    Two queries."""
    first_recorded = Action.history.model.objects.filter(id=OuterRef("pk"), history_type="+")
    candidates = (
        _with_last_update(
            Action.objects.filter(priority__strategy=strategy).filter(
                rules.open_q()
                & (
                    Q(rag=Rag.RED)
                    | Q(status__in=[Status.BLOCKED, Status.AT_RISK])
                    | rules.overdue_q(today)
                    | stale_q(today, stale_days)
                )
            )
        )
        .annotate(
            first_recorded=Subquery(
                first_recorded.order_by("history_date").values("history_date")[:1]
            )
        )
        .select_related("priority")
        .prefetch_related(_OWNERSHIPS)
        .order_by("priority__order", "priority__number", "order", "reference")
    )
    found = []
    for action in candidates:
        needs = rules.attention(
            status=action.status,
            rag=action.rag,
            due_date=action.due_date,
            # With no history row at all (written around the services) it is stale, as
            # stale_q counts it.
            last_activity=action.last_update_at or action.first_recorded or _NEVER,
            today=today,
            stale_days=stale_days,
        )
        if needs.needed:
            found.append(NeedsAttention(action, needs))
    return rules.worst_first(
        found,
        attention_of=lambda item: item.attention,
        due_date_of=lambda item: item.action.due_date,
    )


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
