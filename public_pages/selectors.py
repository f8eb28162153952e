"""The public pages' reads: only published text, read field by field.

Nothing here loads a whole plan record: every query names the fields it reads, all of
them public (titles, numbers, published text, dates), so an internal field cannot reach a
public page, download or feed by way of a template or serializer. A page is a fixed
number of queries, whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max

from governance.choices import EngagementGroup, EngagementMethod, InvolvementLevel
from governance.models import ENGAGEMENT_PUBLIC_FIELDS, Engagement
from measures.choices import Series
from measures.models import Measure, MeasureValue
from measures.selectors import strategy_measures
from priorities.models import Priority, Strategy

from .choices import PUBLIC_STATUS_COLOURS, PublicStatus
from .models import ActionPublication, PriorityPublication, StrategyPublication


@dataclass(frozen=True)
class PublicStrategy:
    pk: int
    area: str
    title: str
    period: str
    introduction: str
    updated: datetime.datetime | None


@dataclass(frozen=True)
class PublicAction:
    reference: str
    title: str
    status: str
    updated: datetime.datetime

    @property
    def status_label(self) -> str:
        return PublicStatus(self.status).label

    @property
    def status_colour(self) -> str:
        return PUBLIC_STATUS_COLOURS[PublicStatus(self.status)]

    @property
    def anchor(self) -> str:
        return f"action-{self.reference.replace('.', '-')}"


@dataclass
class PublicPriority:
    number: int
    title: str
    easy_read: str = ""
    summary: str = ""
    summary_updated: datetime.datetime | None = None
    actions: list[PublicAction] = field(default_factory=list)

    @property
    def updated(self) -> datetime.datetime | None:
        dates = [d for d in [self.summary_updated, *(a.updated for a in self.actions)] if d]
        return max(dates, default=None)

    @property
    def anchor(self) -> str:
        return f"priority-{self.number}"


@dataclass(frozen=True)
class PublicEngagement:
    pk: int
    title: str
    date: datetime.date
    groups: list[str]
    participants: str
    method: str
    level: str
    you_said: str
    we_did: str
    updated: datetime.datetime
    priority_numbers: list[int]
    action_references: list[str]

    @property
    def anchor(self) -> str:
        return f"engagement-{self.pk}"


@dataclass(frozen=True)
class PublicMeasure:
    """A published measure as the public reads it: the figures' own words, nothing more."""

    pk: int
    name: str
    latest: str
    direction: str
    direction_words: str
    arrow: str
    track: str
    is_illustrative: bool
    updated: datetime.datetime | None

    @property
    def anchor(self) -> str:
        return f"measure-{self.pk}"


@dataclass
class PublicPlan:
    strategy: PublicStrategy
    priorities: list[PublicPriority]
    engagements: list[PublicEngagement]
    measures: list[PublicMeasure]

    @property
    def updated(self) -> datetime.datetime | None:
        dates = [self.strategy.updated, *(p.updated for p in self.priorities)]
        dates += [e.updated for e in self.engagements]
        dates += [m.updated for m in self.measures]
        return max((d for d in dates if d), default=None)


def _period(start, end) -> str:
    return f"{start}-{end}" if start and end else ""


def published_strategies() -> list[PublicStrategy]:
    """Every strategy with a published public page, by area then newest first: one query."""
    rows = (
        Strategy.objects.filter(publication__is_published=True)
        .order_by("area__name", "-start_year", "title")
        .values(
            "pk",
            "area__name",
            "title",
            "start_year",
            "end_year",
            "publication__introduction",
            "publication__published_at",
        )
    )
    return [
        PublicStrategy(
            pk=row["pk"],
            area=row["area__name"],
            title=row["title"],
            period=_period(row["start_year"], row["end_year"]),
            introduction=row["publication__introduction"],
            updated=row["publication__published_at"],
        )
        for row in rows
    ]


def published_strategy(pk: int) -> PublicStrategy | None:
    """The strategy if its public page is published; None otherwise (the page is a 404)."""
    row = (
        StrategyPublication.objects.filter(strategy_id=pk, is_published=True)
        .values(
            "strategy__area__name",
            "strategy__title",
            "strategy__start_year",
            "strategy__end_year",
            "introduction",
            "published_at",
        )
        .first()
    )
    if row is None:
        return None
    return PublicStrategy(
        pk=pk,
        area=row["strategy__area__name"],
        title=row["strategy__title"],
        period=_period(row["strategy__start_year"], row["strategy__end_year"]),
        introduction=row["introduction"],
        updated=row["published_at"],
    )


def public_plan(pk: int) -> PublicPlan | None:
    """A published strategy's priorities, their published texts and actions, its shown
    measures and its published engagements: a fixed number of queries, whatever the plan."""
    strategy = published_strategy(pk)
    if strategy is None:
        return None
    return PublicPlan(
        strategy=strategy,
        priorities=_priorities(pk),
        engagements=_engagements(pk),
        measures=_measures(pk),
    )


def _priorities(strategy_pk: int) -> list[PublicPriority]:
    priorities = {}
    rows = (
        PriorityPublication.objects.filter(priority__strategy_id=strategy_pk)
        .filter(published_at__isnull=False)
        .values("priority_id", "easy_read", "summary", "published_at")
    )
    texts = {row["priority_id"]: row for row in rows}
    # Every priority of the plan is listed: its number and title are the strategy's own words.
    for row in (
        Priority.objects.filter(strategy_id=strategy_pk)
        .order_by("order", "number")
        .values("pk", "number", "title")
    ):
        text = texts.get(row["pk"], {})
        priorities[row["pk"]] = PublicPriority(
            number=row["number"],
            title=row["title"],
            easy_read=text.get("easy_read", ""),
            summary=text.get("summary", ""),
            summary_updated=text.get("published_at"),
        )
    actions = (
        ActionPublication.objects.filter(
            action__priority__strategy_id=strategy_pk, published_at__isnull=False
        )
        .order_by("action__priority__order", "action__priority__number", "action__order")
        .values("action__priority_id", "action__reference", "title", "status", "published_at")
    )
    for row in actions:
        priorities[row["action__priority_id"]].actions.append(
            PublicAction(
                reference=row["action__reference"],
                title=row["title"],
                status=row["status"],
                updated=row["published_at"],
            )
        )
    return list(priorities.values())


def _engagements(strategy_pk: int) -> list[PublicEngagement]:
    """Engagements approved for publication, newest first, with the priorities and the
    published actions they shaped."""
    engagements = Engagement.objects.filter(strategy_id=strategy_pk, is_published=True)
    rows = list(
        engagements.order_by("-date", "-pk").values("pk", *ENGAGEMENT_PUBLIC_FIELDS, "published_at")
    )
    numbers: dict[int, list[int]] = {}
    for link in Engagement.priorities.through.objects.filter(engagement__in=engagements).values(
        "engagement_id", "priority__number"
    ):
        numbers.setdefault(link["engagement_id"], []).append(link["priority__number"])
    references: dict[int, list[str]] = {}
    for link in Engagement.actions.through.objects.filter(
        engagement__in=engagements, action__publication__published_at__isnull=False
    ).values("engagement_id", "action__reference"):
        references.setdefault(link["engagement_id"], []).append(link["action__reference"])
    return [
        PublicEngagement(
            pk=row["pk"],
            title=row["title"],
            date=row["date"],
            groups=[EngagementGroup(g).label for g in row["groups"]],
            participants=row["participants"],
            method=EngagementMethod(row["method"]).label,
            level=InvolvementLevel(row["level"]).label,
            you_said=row["you_said"],
            we_did=row["we_did"],
            updated=row["published_at"],
            priority_numbers=sorted(numbers.get(row["pk"], [])),
            action_references=references.get(row["pk"], []),
        )
        for row in rows
    ]


def _measures(strategy_pk: int) -> list[PublicMeasure]:
    """The plan's measures shown on the public page, with their latest value, target and
    direction of travel, in the measures app's own words (measures.selectors)."""
    shown = set(
        Measure.objects.filter(strategy_id=strategy_pk, publication__is_published=True).values_list(
            "pk", flat=True
        )
    )
    if not shown:
        return []
    # When each measure's figures last changed: its newest actual or target value entered.
    updated = dict(
        MeasureValue.objects.filter(measure_id__in=shown, series__in=[Series.ACTUAL, Series.TARGET])
        .values("measure_id")
        .annotate(last=Max("entered_at"))
        .values_list("measure_id", "last")
    )
    found = []
    for figures in strategy_measures(strategy_pk):
        measure, judgement = figures.measure, figures.judgement
        if measure.pk not in shown:
            continue
        found.append(
            PublicMeasure(
                pk=measure.pk,
                name=measure.name,
                latest=figures.latest_words,
                direction=judgement.since_previous or "",
                direction_words=figures.since_previous_words,
                arrow=judgement.arrow,
                track=judgement.track_words,
                is_illustrative=measure.is_illustrative,
                updated=updated.get(measure.pk),
            )
        )
    return found
