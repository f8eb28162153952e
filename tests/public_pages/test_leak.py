"""Nothing internal reaches a public page, download or feed.

The test builds a published plan beside everything internal the service keeps (progress
notes, milestones, owners and their holders, users, meetings, reviews, decisions, an
unpublished engagement, waiting drafts, an unpublished strategy), then writes a marker into
every text field of every record of every model, history included, found by walking the
models' fields, so a field added later is covered without changing this test. Only the
fields the public page is meant to show, of the published plan, keep their text. Then it
opens every URL of the public app, with real ids, and looks for the marker.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, reverse

from actions.choices import Rag, Status
from actions.models import Milestone
from actions.services import actions as action_services
from governance import services as governance_services
from governance.choices import BoardKind, EngagementGroup, EngagementMethod, InvolvementLevel
from governance.models import Board, BoardMembership, Decision, Engagement, Meeting
from measures.choices import Series
from measures.models import AreaComparators, Measure, MeasureValue
from priorities.models import LocalArea, Priority, Strategy
from public_pages import services, urls
from public_pages.choices import PublicStatus
from public_pages.models import MeasurePublication
from tests.public_pages.conftest import ACTION_TITLE, EASY_READ

MARKER = "qzxleak"
APPS = ["auth", "priorities", "actions", "measures", "governance", "public_pages"]

# What the public page of a published plan shows, by model: the strategy's own words and
# the text a plan admin approved for the public. Nothing else of any model is public.
PUBLIC_FIELDS = {
    "priorities.localarea": {"name"},
    "priorities.strategy": {"title"},
    "priorities.priority": {"title"},
    "actions.action": {"reference"},
    "public_pages.strategypublication": {"introduction"},
    "public_pages.prioritypublication": {"easy_read", "summary"},
    "public_pages.actionpublication": {"title"},
    "governance.engagement": {
        "title",
        "participants",
        "you_said",
        "we_did",
    },
    "measures.measure": {"name"},
    "measures.measurevalue": {"period_label"},
}

# Text fields whose emptiness means something: a value with no comparator is the area's
# own figure. A marker goes in only where they hold text (a comparator's name).
STRUCTURAL_WHEN_BLANK = {"measures.measurevalue": {"comparator"}}


def _in_published_plan(obj, plan: Strategy) -> bool:
    """Whether a record belongs to the published plan (an engagement: and is approved)."""
    if isinstance(obj, LocalArea):
        return obj.pk == plan.area_id
    if isinstance(obj, Strategy):
        return obj.pk == plan.pk
    if isinstance(obj, Engagement) and not obj.is_published:
        return False
    if isinstance(obj, MeasureValue):
        obj = obj.measure
    if (
        isinstance(obj, Measure)
        and not MeasurePublication.objects.filter(measure=obj, is_published=True).exists()
    ):
        return False
    if hasattr(obj, "strategy_id"):
        return obj.strategy_id == plan.pk
    if hasattr(obj, "priority_id"):
        return obj.priority.strategy_id == plan.pk
    if hasattr(obj, "action_id"):
        return obj.action.priority.strategy_id == plan.pk
    return False


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        # The password hash is internal but never text a page could show; it must stay valid.
        and f.name != "password"
    ]


def seed_markers(plan: Strategy) -> dict[str, str]:
    """Write a numbered marker into every internal text field of every record; returns
    where each marker went ("model.field #pk")."""
    written: dict[str, str] = {}
    for model in [m for label in APPS for m in apps.get_app_config(label).get_models()]:
        fields = _text_fields(model)
        if not fields:
            continue
        public = PUBLIC_FIELDS.get(model._meta.label_lower, set())
        structural = STRUCTURAL_WHEN_BLANK.get(model._meta.label_lower, set())
        historical = model.__name__.startswith("Historical")
        for obj in model._default_manager.all():
            keep = set() if historical else (public if _in_published_plan(obj, plan) else set())
            values = {}
            for field in fields:
                if field.name in keep:
                    continue
                if field.name in structural and not getattr(obj, field.attname):
                    continue
                marker = f"{MARKER}{len(written)}"
                written[marker] = f"{model._meta.label_lower}.{field.name} #{obj.pk}"
                value = f"{marker}@example.org" if isinstance(field, models.EmailField) else marker
                values[field.attname] = value[: field.max_length] if field.max_length else value
            if values:
                # update(): the markers must not pass through the services or write history.
                model._default_manager.filter(pk=obj.pk).update(**values)
    return written


@pytest.fixture
def everything_internal(
    published_plan, published_measure, priority, action, officer, board_member, plan_admin, enter
):
    """Beside the published plan, every kind of record the service keeps, with text in it."""
    area = published_plan.area
    action_services.action_update_progress(
        action=action,
        user=officer,
        status=Status.AT_RISK,
        rag=Rag.RED,
        percent_complete=20,
        note="The budget is not agreed.",
    )
    Milestone.objects.create(action=action, text="Report to the board")
    board = Board.objects.create(area=area, name="Partnership", kind=BoardKind.PARTNERSHIP)
    BoardMembership.objects.create(board=board, user=board_member, role="Chair")
    meeting = Meeting.objects.create(
        board=board,
        strategy=published_plan,
        date=datetime.date(2026, 1, 15),
        title="Quarterly review",
        agenda="Exceptions",
        minutes="Discussed",
    )
    governance_services.review_record(
        meeting=meeting,
        priority=priority,
        action=action,
        user=board_member,
        rag=Rag.RED,
        comment="Too slow",
        recommendation="Escalate",
        follow_ups=[
            governance_services.FollowUp(
                text="Recovery plan",
                owner_name=action.owners.get().name,
                due_date=datetime.date(2026, 3, 31),
            )
        ],
    )
    Decision.objects.create(
        area=area,
        number="1/2026",
        title="Approve",
        decision_maker="Cabinet",
        decision="Yes",
        reasons="Because",
        lead_officer="Someone",
        delegation="By cabinet",
    )
    governance_services.engagement_save(
        engagement=Engagement(
            strategy=published_plan,
            title="Not approved yet",
            date=datetime.date(2026, 2, 1),
            groups=[EngagementGroup.SCHOOLS],
            participants="Head teachers",
            method=EngagementMethod.SURVEY,
            level=InvolvementLevel.CONSULT,
            you_said="Said",
            we_did="Did",
            internal_notes="Sensitive",
        ),
        user=officer,
        actions=[action],
    )
    # Waiting drafts on the published texts.
    services.priority_publication_draft(
        priority=priority, user=officer, easy_read="New draft", summary="New summary"
    )
    services.action_publication_draft(
        action=action, user=officer, title="New title", status=PublicStatus.DONE
    )
    # A comparator beside the shown measure, and a measure not shown.
    enter(published_measure, "Q2 2025-26", 61, series=Series.REGION, comparator="South East")
    AreaComparators.objects.create(area=area, region="South East", statistical_neighbours="Kent")
    hidden_measure = Measure.objects.create(strategy=published_plan, name="Not shown")
    enter(hidden_measure, "Q2 2025-26", 10, note="Internal")
    # A strategy whose page is not published, with public text approved all the same.
    hidden = Strategy.objects.create(area=area, title="Draft strategy 2026-29")
    hidden_priority = Priority.objects.create(strategy=hidden, number=1, title="Hidden")
    draft = services.priority_publication_draft(
        priority=hidden_priority, user=plan_admin, easy_read="Hidden", summary="Hidden"
    )
    services.publication_approve(publication=draft, user=plan_admin)
    services.strategy_publication_save(
        strategy=hidden, user=plan_admin, is_published=False, introduction="Not yet"
    )
    return hidden


def public_urls(strategy_ids: list[int]) -> list[str]:
    """Every URL of the public app: each pattern with each strategy's id, and a missing one."""
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern), "walk included patterns too"
        name = f"public:{pattern.name}"
        if "pk" in pattern.pattern.converters:
            found += [reverse(name, kwargs={"pk": pk}) for pk in [*strategy_ids, 999999]]
        else:
            found.append(reverse(name))
    return found


def test_no_internal_text_reaches_any_public_url(client, published_plan, everything_internal):
    written = seed_markers(published_plan)
    assert len(written) > 200  # every model's text fields, history included
    pages = public_urls([published_plan.pk, everything_internal.pk])
    assert len(pages) >= 11
    shown = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode("utf-8-sig")
        found = set(re.findall(rf"{MARKER}\d+", body, flags=re.IGNORECASE))
        leaks = sorted(written[marker.lower()] for marker in found)
        assert not leaks, f"{url} shows internal text: {leaks}"
        assert MARKER not in str(response.headers).lower(), url
        shown += response.status_code == 200
    # The published plan's pages did render its public text, so the test could have failed.
    page = client.get(reverse("public:strategy", args=[published_plan.pk])).text
    assert EASY_READ in page and ACTION_TITLE in page and "We publish progress here." in page
    assert "EHC plans issued within 20 weeks" in page and "Better than Q1 2025-26" in page
    assert shown == 5
