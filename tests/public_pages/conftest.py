"""A published plan: the strategy's public page with a priority's and an action's texts
approved, and an engagement approved for "You said, we did"."""

import datetime

import pytest
from django.urls import reverse

from governance import services as governance_services
from governance.choices import EngagementGroup, EngagementMethod, InvolvementLevel
from governance.models import Engagement
from public_pages import services
from public_pages.choices import PublicStatus
from tests.measures import conftest as measures_fixtures
from tests.pages.conftest import grow_plan, other_owner  # noqa: F401 (shared fixtures)

EASY_READ = "We want every child to get help early."
SUMMARY = "Forty schools now screen every reception child for speech and language needs."
ACTION_TITLE = "Help parents earlier"


@pytest.fixture
def published_plan(strategy, priority, action, plan_admin):
    services.strategy_publication_save(
        strategy=strategy, user=plan_admin, is_published=True, introduction="Our plan."
    )
    draft = services.priority_publication_draft(
        priority=priority, user=plan_admin, easy_read=EASY_READ, summary=SUMMARY
    )
    services.publication_approve(publication=draft, user=plan_admin)
    draft = services.action_publication_draft(
        action=action, user=plan_admin, title=ACTION_TITLE, status=PublicStatus.UNDER_WAY
    )
    services.publication_approve(publication=draft, user=plan_admin)
    engagement = governance_services.engagement_save(
        engagement=Engagement(
            strategy=strategy,
            title="Forum workshop",
            date=datetime.date(2022, 9, 1),
            groups=[EngagementGroup.PARENT_CARER_FORUM],
            participants="Medway Parents and Carers Forum",
            method=EngagementMethod.WORKSHOP,
            level=InvolvementLevel.CO_PRODUCE,
            you_said="Tell us what changed.",
            we_did="We publish progress here.",
        ),
        user=plan_admin,
        priorities=[priority],
        actions=[action],
    )
    governance_services.engagement_publish(engagement=engagement, user=plan_admin)
    return strategy


def page_url(strategy) -> str:
    return reverse("public:strategy", args=[strategy.pk])


# The measures tests' fixtures, shared here.
measure = measures_fixtures.measure
enter = measures_fixtures.enter


@pytest.fixture
def published_measure(published_plan, measure, enter, plan_admin):
    """The plan's measure with two values and a target, shown on the public page."""
    enter(measure, "Q1 2025-26", 52)
    enter(measure, "Q2 2025-26", 58.3, note="Provisional return.")
    enter(measure, "Q2 2025-26", 60, series="target")
    services.measure_publication_save(measure=measure, user=plan_admin, is_published=True)
    return measure
