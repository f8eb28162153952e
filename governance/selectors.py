"""Reads for meetings and board packs: the plan as it stood on a meeting day, from its history.

A pack must not change when an action is edited after the meeting, so nothing here reads
the actions' current values: every figure comes from the audit history (see
docs/decisions/0001). Each read is a fixed number of queries, whatever the plan's size.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Max, Min, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from actions import rules
from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, ProgressUpdate
from actions.selectors.history import Event, plan_events
from measures.selectors import MeasureFigures, measures_as_at
from priorities.models import Priority
from sendplan.roles import within_areas

from .choices import PapersRoute
from .models import Decision, Engagement, Meeting, Papers, Review, UpdateRound


def meeting_cutoff(meeting: Meeting) -> datetime.datetime:
    """The first moment after the meeting day (in the area's TIME_ZONE); the pack shows
    history written before it."""
    return rules.end_of_day(meeting.date)


def meeting_day_ended(meeting: Meeting) -> bool:
    return meeting_cutoff(meeting) <= timezone.now()


def is_to_come(meeting: Meeting) -> bool:
    """A meeting whose day has not come: nothing to review yet."""
    return meeting.date > rules.today()


def meeting_scope(meeting: Meeting) -> Q:
    """The actions of the plan a meeting monitors."""
    return Q(priority__strategy_id=meeting.strategy_id)


def meeting_priorities(meeting: Meeting):
    """The priorities of the plan a meeting monitors, in plan order."""
    return Priority.objects.filter(strategy_id=meeting.strategy_id)


def actions_as_at(*, strategy_id: int, cutoff: datetime.datetime) -> list:
    """Each action of the plan as its latest history row before the cutoff showed it.

    Actions created after the cutoff have no such row; those whose latest row is their
    deletion had gone, and those whose latest row puts them in another plan had moved.
    Each row also carries when the action was first recorded and its last progress update
    before the cutoff. One query, reading only the history of actions that were ever in
    the plan (not every area's), numbering each action's rows newest first.
    """
    history = Action.history.model
    ever_in_plan = history.objects.filter(priority__strategy_id=strategy_id).values("id")
    last_update = ProgressUpdate.history.filter(
        action_id=OuterRef("id"), history_type="+", history_date__lt=cutoff
    ).order_by("-history_date")
    newest_first = [F("history_date").desc(), F("history_id").desc()]
    rows = (
        history.objects.filter(id__in=ever_in_plan, history_date__lt=cutoff)
        .annotate(
            newest=Window(RowNumber(), partition_by=[F("id")], order_by=newest_first),
            first_recorded=Window(Min("history_date"), partition_by=[F("id")]),
            last_update=Subquery(last_update.values("history_date")[:1]),
        )
        .filter(newest=1)
        .select_related("priority")
        .order_by("priority__order", "priority__number", "order", "id")
    )
    return [
        row for row in rows if row.history_type != "-" and row.priority.strategy_id == strategy_id
    ]


def changes_between(
    meeting: Meeting, previous: Meeting | None, cutoff: datetime.datetime
) -> list[Event]:
    """Changes of status, RAG, percent and due date, and progress notes, from the end of the
    previous meeting's day to the cutoff, newest first, each with who and why
    (actions/selectors/history.py reads them)."""
    if previous is None:
        return []
    return plan_events(meeting.strategy, since=meeting_cutoff(previous), until=cutoff)


def _notes_as_at(events: list[Event], actions: list) -> list[Event]:
    """A progress note comes with its action's current reference and text; in a pack it
    names the action as it stood at the cutoff, as every other row of the pack does."""
    as_at = {row.id: row for row in actions}
    return [
        dataclasses.replace(event, reference=row.reference, text=row.text)
        if not event.changes and not event.created and (row := as_at.get(event.action_id))
        else event
        for event in events
    ]


@dataclass
class PriorityCounts:
    """One priority's row of the plan summary: actions by status and by RAG."""

    number: int
    title: str
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    by_rag: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Rag.values, 0))

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def add(self, row) -> None:
        self.by_status[row.status] += 1
        self.by_rag[row.rag] += 1

    @property
    def status_counts(self) -> list[int]:
        return list(self.by_status.values())

    @property
    def rag_counts(self) -> list[int]:
        return list(self.by_rag.values())


@dataclass(frozen=True)
class ExceptionRow:
    action: object  # the action's history row as at the meeting
    reasons: list[str]


@dataclass
class BoardPack:
    meeting: Meeting
    # The day the pack's figures are judged on: the meeting day, or the day of the moment
    # the pack shows the plan at when that is earlier (papers published before the meeting).
    day: datetime.date
    # The pack shows history written before this moment.
    cutoff: datetime.datetime
    previous: Meeting | None
    next_meeting: Meeting | None
    actions: list
    summary: list[PriorityCounts]
    totals: PriorityCounts
    exceptions: list[ExceptionRow]
    changes: list[Event]
    reviews: list[Review]
    decisions: list[Decision]
    due_until: datetime.date
    due: list
    engagements: list[Engagement]
    # Each measure's latest value known at the cutoff, compared with the previous meeting's.
    measures: list[MeasureFigures]
    # How current the figures are (update rounds, issue 12).
    currency: "PlanCurrency | None" = None

    @property
    def as_at_words(self) -> str:
        """The moment the pack shows, as its pages say it."""
        if self.cutoff == meeting_cutoff(self.meeting):
            return f"the end of {_day_words(self.meeting.date)}"
        local = timezone.localtime(self.cutoff)
        return f"{local:%H:%M} on {_day_words(local.date())}"


def _day_words(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plan_summary(actions: list) -> tuple[list[PriorityCounts], PriorityCounts]:
    """Counts by status and RAG for each priority, in plan order, and for the whole plan."""
    by_priority: dict[int, PriorityCounts] = {}
    totals = PriorityCounts(number=0, title="All priorities")
    for row in actions:
        if row.priority_id not in by_priority:
            by_priority[row.priority_id] = PriorityCounts(
                number=row.priority.number, title=row.priority.title
            )
        by_priority[row.priority_id].add(row)
        totals.add(row)
    return list(by_priority.values()), totals


def plan_exceptions(actions: list, *, day: datetime.date) -> list[ExceptionRow]:
    """Open actions that needed attention on the day (actions/rules.py ``attention``: red,
    blocked, at risk, overdue or stale), with the reasons, worst first."""
    found = []
    for row in actions:
        needs = rules.attention(
            status=row.status,
            rag=row.rag,
            due_date=row.due_date,
            last_activity=row.last_update or row.first_recorded,
            today=day,
        )
        if needs.needed:
            found.append((row, needs))
    return [
        ExceptionRow(action=row, reasons=needs.reasons)
        for row, needs in rules.worst_first(
            found, attention_of=lambda item: item[1], due_date_of=lambda item: item[0].due_date
        )
    ]


def board_pack(meeting: Meeting, *, as_at: datetime.datetime | None = None) -> BoardPack:
    """Everything the board reads for one meeting, read from the database as the plan stood
    at ``as_at``: by default the end of the meeting day, or now while that is to come.
    A fixed number of queries."""
    end_of_meeting_day = meeting_cutoff(meeting)
    cutoff = as_at or min(end_of_meeting_day, timezone.now())
    if cutoff > end_of_meeting_day:
        raise ValueError("A pack shows the plan at the end of its meeting day at the latest.")
    day = meeting.date if cutoff == end_of_meeting_day else timezone.localdate(cutoff)
    same_board = Meeting.objects.filter(board_id=meeting.board_id).exclude(pk=meeting.pk)
    previous = same_board.filter(date__lt=meeting.date).order_by("-date").first()
    next_meeting = same_board.filter(date__gt=meeting.date).order_by("date").first()
    actions = actions_as_at(strategy_id=meeting.strategy_id, cutoff=cutoff)
    summary, totals = plan_summary(actions)
    due_until = (
        next_meeting.date
        if next_meeting
        else day + datetime.timedelta(days=settings.SENDPLAN_DUE_SOON_DAYS)
    )
    return BoardPack(
        meeting=meeting,
        day=day,
        cutoff=cutoff,
        previous=previous,
        next_meeting=next_meeting,
        actions=actions,
        summary=summary,
        totals=totals,
        exceptions=plan_exceptions(actions, day=day),
        changes=_notes_as_at(changes_between(meeting, previous, cutoff), actions),
        # As recorded when the pack is read: none yet when papers go out before the meeting.
        reviews=meeting_reviews(meeting),
        decisions=list(meeting.decisions.all()),
        due_until=due_until,
        due=[
            row
            for row in actions
            if rules.is_open(row.status)
            and row.due_date is not None
            and day <= row.due_date <= due_until
        ],
        engagements=engagements_for_pack(meeting, previous, cutoff),
        measures=measures_as_at(
            strategy_id=meeting.strategy_id,
            cutoff=cutoff,
            previous_cutoff=meeting_cutoff(previous) if previous else None,
        ),
        currency=plan_currency(meeting, actions=actions, previous=previous, cutoff=cutoff),
    )


def meeting_reviews(meeting: Meeting) -> list[Review]:
    """The board's reviews at the meeting, with their follow-up actions: three queries."""
    return list(
        meeting.reviews.select_related("priority", "action", "recorded_by").prefetch_related(
            "follow_ups__owners"
        )
    )


# What the section "since the papers were published" reports.
SINCE_PAPERS_FIELDS = {"status", "rag", "due_date"}


def changes_since_papers(meeting: Meeting, as_at: datetime.datetime) -> list[Event]:
    """Changes of status, RAG and due date made after the papers' moment up to the end of
    the meeting day (or now, on the day), newest first: two queries over the plan's
    history of those few days (actions/selectors/history.py)."""
    until = min(meeting_cutoff(meeting), timezone.now())
    if as_at >= until:
        return []
    return [
        dataclasses.replace(event, changes=changes)
        for event in plan_events(meeting.strategy, since=as_at, until=until)
        if (changes := tuple(c for c in event.changes if c.field in SINCE_PAPERS_FIELDS))
    ]


# What a decision is found by: the admin's search, and the decision log's with its lead officer.
DECISION_TEXT_FIELDS = [
    "number",
    "title",
    "decision_maker",
    "delegation",
    "decision",
    "reasons",
    "options_rejected",
]
DECISION_SEARCH_FIELDS = [*DECISION_TEXT_FIELDS, "lead_officer"]


def decision_search(
    user, *, q: str = "", area_id=None, status: str = "", key: str = "", delegated_by=None
):
    """The decision log of the user's areas, newest first, narrowed by every word of q and
    by the filters given."""
    decisions = within_areas(
        user, Decision.objects.select_related("area", "delegated_by", "strategy")
    )
    for word in q.split():
        matches = Q()
        for name in DECISION_SEARCH_FIELDS:
            matches |= Q(**{f"{name}__icontains": word})
        decisions = decisions.filter(matches)
    if area_id:
        decisions = decisions.filter(area_id=area_id)
    if status:
        decisions = decisions.filter(status=status)
    if key:
        decisions = decisions.filter(is_key_decision=key == "yes")
    if delegated_by:
        decisions = decisions.filter(delegated_by=delegated_by)
    return decisions.order_by(F("date").desc(nulls_last=True), "number", "pk")


def meetings_by_board(user, board_id=None):
    """The meetings of the user's areas, newest first, with their board and plan, and where
    their papers stand (governance.papers.PapersState): one query."""
    by_people = Q(papers__route__in=[r for r in PapersRoute.values if r != PapersRoute.MIGRATION])
    meetings = within_areas(
        user,
        Meeting.objects.select_related("board__area", "strategy").annotate(
            papers_version=Max("papers__version"),
            papers_published_at=Max("papers__published_at"),
            papers_first_published_at=Min("papers__published_at", filter=by_people),
            papers_published_by=Subquery(
                Papers.objects.filter(meeting=OuterRef("pk"))
                .order_by("-version")
                .values("published_by_name")[:1]
            ),
            papers_route=Subquery(
                Papers.objects.filter(meeting=OuterRef("pk"))
                .order_by("-version")
                .values("route")[:1]
            ),
        ),
    )
    if board_id:
        meetings = meetings.filter(board_id=board_id)
    return meetings.order_by("-date", "board__name")


# Update rounds (issue 12) ---------------------------------------------------------------


def updated_action_ids(
    *, action_ids, since: datetime.datetime, until: datetime.datetime | None = None
) -> set[int]:
    """Which of the actions were updated from ``since`` to ``until`` (default: now).

    The one definition of "updated" for rounds and packs: a progress update given, or the
    action saved by a person (an owner or an admin; saves with no user, by a command run
    on the server, do not count). Read from the history tables, so a pack for a past
    meeting is judged as it stood. ``action_ids`` may be a queryset of ids: one query.
    """
    window = Q(history_date__gte=since) & (Q(history_date__lt=until) if until else Q())
    updates = ProgressUpdate.history.filter(
        window, history_type="+", action_id__in=action_ids
    ).values_list("action_id", flat=True)
    saves = Action.history.filter(
        window, history_type="~", history_user__isnull=False, id__in=action_ids
    ).values_list("id", flat=True)
    return set(updates.order_by().union(saves.order_by()))


class _UpdatedShare:
    """How many of ``actions`` were ``updated``: a whole round, or one group of it."""

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def percent(self) -> int:
        return round(100 * self.updated / self.total) if self.total else 100


@dataclass
class RoundRow(_UpdatedShare):
    """One group of a round's progress: an owner role or a priority."""

    label: str
    actions: list = field(default_factory=list)
    updated: int = 0
    holders: list = field(default_factory=list)

    @property
    def not_updated(self) -> list:
        return [action for action in self.actions if not action.round_updated]


@dataclass
class RoundProgress(_UpdatedShare):
    round: UpdateRound
    actions: list
    by_owner: list[RoundRow]
    by_priority: list[RoundRow]
    updated: int


def round_progress(update_round: UpdateRound) -> RoundProgress:
    """Who has updated the round's actions since it started, by owner role and by priority.

    Each covered action carries ``round_updated``; each owner row its holders (nobody
    holding a role shows as an empty list). Four queries, whatever the round's size.
    """
    actions = list(
        # Plan order, with the action's id to settle ties, so the lists read the same each time.
        update_round.actions.order_by("priority__order", "priority__number", "order", "pk")
        .select_related("priority")
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("owner")
                .prefetch_related(
                    Prefetch(
                        "owner__holders",
                        queryset=get_user_model()
                        .objects.filter(is_active=True)
                        .order_by("username"),
                    )
                )
                .order_by("order", "pk"),
            )
        )
    )
    updated = updated_action_ids(
        action_ids=update_round.coverage.values("action_id"), since=update_round.started_at
    )
    by_owner: dict[int, RoundRow] = {}
    by_priority: dict[int, RoundRow] = {}
    for action in actions:
        action.round_updated = action.pk in updated
        groups = [by_priority.setdefault(action.priority_id, RoundRow(str(action.priority)))]
        for ownership in action.ownerships.all():
            owner = ownership.owner
            if owner.pk not in by_owner:
                by_owner[owner.pk] = RoundRow(owner.name, holders=list(owner.holders.all()))
            groups.append(by_owner[owner.pk])
        for group in groups:
            group.actions.append(action)
            group.updated += action.round_updated
    return RoundProgress(
        round=update_round,
        actions=actions,
        by_owner=sorted(by_owner.values(), key=lambda row: (row.percent, row.label)),
        by_priority=list(by_priority.values()),
        updated=sum(action.round_updated for action in actions),
    )


@dataclass
class PlanCurrency:
    """How current a pack's figures are: how many of its actions were updated since when."""

    since: datetime.datetime
    round: UpdateRound | None
    total: int
    not_updated: list  # history rows as at the meeting, in plan order

    @property
    def updated(self) -> int:
        return self.total - len(self.not_updated)


def plan_currency(
    meeting: Meeting, *, actions: list, previous: Meeting | None, cutoff: datetime.datetime
) -> PlanCurrency | None:
    """For the pack: the round's actions updated from its start to the end of the meeting
    day; with no round, the open actions updated since the previous meeting. None when
    there is neither. At most three queries."""
    update_round = UpdateRound.objects.filter(meeting=meeting).first()
    if update_round is not None:
        since = update_round.started_at
        covered = set(update_round.coverage.values_list("action_id", flat=True))
        rows = [row for row in actions if row.id in covered]
    elif previous is not None:
        since = meeting_cutoff(previous)
        rows = [row for row in actions if rules.is_open(row.status)]
    else:
        return None
    plan_ids = Action.history.filter(priority__strategy_id=meeting.strategy_id).values("id")
    updated = updated_action_ids(action_ids=plan_ids, since=since, until=cutoff)
    return PlanCurrency(
        since=since,
        round=update_round,
        total=len(rows),
        not_updated=[row for row in rows if row.id not in updated],
    )


def _engagements():
    return Engagement.objects.select_related("recorded_by").prefetch_related(
        "priorities", Prefetch("actions", queryset=Action.objects.select_related("priority"))
    )


def engagements_for_pack(
    meeting: Meeting, previous: Meeting | None, cutoff: datetime.datetime
) -> list[Engagement]:
    """Engagements about the meeting's plan since the previous meeting (all before it when
    there is none), recorded before the meeting day ended, oldest first."""
    engagements = _engagements().filter(
        strategy_id=meeting.strategy_id, date__lte=meeting.date, recorded_at__lt=cutoff
    )
    if previous is not None:
        engagements = engagements.filter(date__gt=previous.date)
    return list(engagements.order_by("date", "pk"))


def engagements_for_action(action) -> list[Engagement]:
    """The engagements that shaped an action or its priority, newest first: one query (the
    action page does not list their other links)."""
    return list(
        Engagement.objects.filter(Q(actions=action) | Q(priorities=action.priority_id))
        .distinct()
        .order_by("-date", "-pk")
    )


def engagement_list(user, strategy_id=None):
    """The engagements of the user's areas, newest first, with their plan and links."""
    engagements = within_areas(user, _engagements().select_related("strategy__area"))
    if strategy_id:
        engagements = engagements.filter(strategy_id=strategy_id)
    return engagements.order_by("-date", "-pk")
