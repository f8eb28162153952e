"""The demo publishes the Joint SEND Strategy 2022-25 with easy read, progress and
"You said, we did", and leaves an officer's draft for the plan admin to approve."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from governance.models import Engagement, Meeting
from governance.selectors import board_pack
from priorities.models import Strategy
from public_pages.models import ActionPublication, PriorityPublication


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Strategy.objects.get(title="Joint SEND Strategy 2022-25")


def test_a_signed_out_visitor_finds_the_published_joint_strategy(client, demo):
    index = client.get(reverse("public:index")).text
    assert "Joint SEND Strategy 2022-25" in index
    assert "SEND Strategy 2019-2022" not in index
    page = client.get(reverse("public:strategy", args=[demo.pk])).text
    assert "Families helped write this strategy." in page  # easy read of priority 5
    assert "Shorten waits for autism and ADHD assessments" in page
    assert "Public consultation on the draft strategy" in page and "23 September 2022" in page
    assert "Medway Parents and Carers Forum" in page
    assert "Young people want to try real jobs" not in page  # not approved
    measures = page[page.index('id="measures"') : page.index('id="you-said-we-did"')]
    assert "EHC plans issued within 20 weeks" in measures
    assert "not official statistics" in measures  # the demo's figures are illustrative


def test_an_officers_draft_waits_for_the_plan_admin(demo):
    waiting = PriorityPublication.objects.get(draft_waiting=True)
    assert waiting.drafted_by.username == "officer" and waiting.published_at is None


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = [m.history.count() for m in (PriorityPublication, ActionPublication, Engagement)]
    call_command("load_demo", stdout=io.StringIO())
    assert [m.history.count() for m in (PriorityPublication, ActionPublication, Engagement)] == (
        counts
    )


def test_the_last_board_pack_lists_the_forum_meeting_since_the_previous_meeting(demo):
    meeting = Meeting.objects.filter(board__area__name="Medway", minutes__gt="").latest()
    titles = [engagement.title for engagement in board_pack(meeting).engagements]
    assert titles == ["Forum meeting on assessment waiting times"]
