import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services.actions import action_save
from governance.models import Decision, Review
from governance.services import decision_save, papers_publish

from .conftest import on
from .test_board_pack import BEFORE, BETWEEN, FIRST, MEETING, grow_plan


@pytest.fixture
def meeting(make_meeting, action, officer):
    make_meeting(FIRST, "April board")
    return make_meeting(MEETING, "July board")


def pack_url(meeting):
    return reverse("governance:meeting_pack", args=[meeting.pk])


def review_url(meeting):
    return reverse("governance:review_create", args=[meeting.pk])


def review_data(subject, **overrides):
    data = {
        "subject": subject,
        "rag": "red",
        "comment": "Too slow.",
        "recommendation": "Report back in September.",
        "follow-TOTAL_FORMS": "2",
        "follow-INITIAL_FORMS": "0",
        "follow-0-text": "",
        "follow-1-text": "",
    }
    return {**data, **overrides}


def test_board_member_reads_the_pack(client, board_member, meeting):
    client.force_login(board_member)
    response = client.get(pack_url(meeting))
    assert response.status_code == 200
    for section in ["Plan summary", "Exceptions", "Changes since the previous meeting", "Due"]:
        assert section in response.text
    assert "Record a review" in response.text


@pytest.mark.parametrize("name", ["meeting_pack", "meeting_pack_xlsx", "review_create"])
def test_officer_is_refused_meetings_and_reviews(client, officer, meeting, name):
    client.force_login(officer)
    assert client.get(reverse(f"governance:{name}", args=[meeting.pk])).status_code == 403


def test_officer_cannot_post_a_review(client, officer, meeting, priority):
    client.force_login(officer)
    response = client.post(review_url(meeting), review_data(f"priority-{priority.pk}"))
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, meeting):
    assert client.get(pack_url(meeting)).status_code == 302


def test_review_with_follow_up_is_recorded_and_the_action_joins_the_plan(
    client, board_member, meeting, action, owner
):
    client.force_login(board_member)
    data = review_data(
        f"action-{action.pk}",
        **{
            "follow-0-text": "Ask parents what helped.",
            "follow-0-owner": owner.pk,
            "follow-0-due_day": "31",
            "follow-0-due_month": "10",
            "follow-0-due_year": "2026",
        },
    )
    response = client.post(review_url(meeting), data, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{pack_url(meeting)}#reviews")
    review = Review.objects.get()
    assert (review.action, review.rag, review.recorded_by) == (action, "red", board_member)
    follow_up = Action.objects.get(reference="1.2")
    assert follow_up.text == "Ask parents what helped."
    assert follow_up.due_date == datetime.date(2026, 10, 31)
    assert "Follow-up actions added to the plan: 1.2" in response.text
    assert "Ask parents what helped." in response.text


def test_half_filled_follow_up_shows_errors_linked_to_fields_and_saves_nothing(
    client, board_member, meeting, priority
):
    client.force_login(board_member)
    data = review_data(
        f"priority-{priority.pk}", **{"follow-0-text": "Do it.", "follow-0-due_month": "13"}
    )
    response = client.post(review_url(meeting), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_follow-0-due_month"' in response.text
    assert "govuk-form-group--error" in response.text
    assert response.text.count("Error:") >= 1
    assert not Review.objects.exists()


def test_a_review_saying_nothing_is_refused_beside_the_comment(
    client, board_member, meeting, priority
):
    client.force_login(board_member)
    data = review_data(f"priority-{priority.pk}", rag="", comment="", recommendation="")
    response = client.post(review_url(meeting), data)
    assert 'href="#id_comment"' in response.text
    assert not Review.objects.exists()


def test_review_form_requires_the_csrf_token(board_member, meeting, priority):
    client = Client(enforce_csrf_checks=True)
    client.force_login(board_member)
    response = client.post(review_url(meeting), review_data(f"priority-{priority.pk}"))
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_exception_links_preselect_the_action_to_review(client, board_member, meeting, action):
    client.force_login(board_member)
    response = client.get(f"{review_url(meeting)}?subject=action-{action.pk}")
    assert f'<option value="action-{action.pk}" selected>' in response.text


def pack_page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pack_url(meeting)).status_code == 200
    return len(queries)


def test_pack_page_query_count_does_not_grow_with_the_plan(
    client, board_member, meeting, priority, owner, officer, plan_admin
):
    client.force_login(board_member)
    with on(BEFORE):
        late = Action(priority=priority, reference="1.9", text="Late.", due_date=BETWEEN)
        action_save(action=late, user=plan_admin)
    grow_plan(priority, owner, officer, range(10))
    small = pack_page_queries(client, meeting)
    grow_plan(priority, owner, officer, range(10, 500))
    assert pack_page_queries(client, meeting) == small


@pytest.fixture
def decisions(area, plan_admin, board):
    for number, title, key, status in [
        ("115/2022", "Joint SEND Strategy 2022-25", False, "made"),
        ("21/00019", "SEND Strategy 2021-2024", True, "made"),
        ("", "Publication of the strategy", False, "implemented"),
    ]:
        decision = Decision(
            area=area,
            number=number,
            title=title,
            decision_maker="Cabinet",
            decision="Agreed.",
            is_key_decision=key,
            status=status,
        )
        decision_save(decision=decision, user=plan_admin)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("q=115%2F2022", ["Joint SEND Strategy 2022-25"]),
        ("q=strategy+2021", ["SEND Strategy 2021-2024"]),
        ("key=yes", ["SEND Strategy 2021-2024"]),
        ("status=implemented", ["Publication of the strategy"]),
    ],
)
def test_decision_log_searches_and_filters(client, board_member, decisions, query, titles):
    client.force_login(board_member)
    response = client.get(f"{reverse('governance:decision_list')}?{query}")
    assert [d.title for d in response.context["page"]] == titles


def test_decision_page_shows_delegation_and_reasons(client, board_member, area, plan_admin):
    decision = Decision(
        area=area,
        title="Publication",
        decision_maker="Director of People",
        decision="Published.",
        delegation="Decision No. 115/2022 refers.",
        options_rejected="None.",
    )
    decision_save(decision=decision, user=plan_admin)
    client.force_login(board_member)
    response = client.get(decision.get_absolute_url())
    assert "Decision No. 115/2022 refers." in response.text
    assert "Other options considered and rejected" in response.text


def test_meeting_list_links_to_each_pack(client, board_member, meeting):
    client.force_login(board_member)
    response = client.get(reverse("governance:meeting_list"))
    assert pack_url(meeting) in response.text


@pytest.fixture
def future_meeting(make_meeting, action, officer):
    make_meeting(FIRST, "April board")
    return make_meeting(timezone.localdate() + datetime.timedelta(days=30), "Next board")


def test_a_pack_for_a_meeting_to_come_is_a_preview_of_todays_figures(
    client, board_member, future_meeting
):
    client.force_login(board_member)
    text = client.get(pack_url(future_meeting)).text
    assert "Preview: these papers have not been published" in text
    assert "Record a review" not in text


def test_a_past_meetings_papers_are_the_record_of_its_day(client, board_member, meeting):
    client.force_login(board_member)
    text = client.get(pack_url(meeting)).text
    assert "as it stood at the end of 7 July 2026" in text
    assert "Preview: these papers have not been published" in text
    papers_publish(meeting=meeting, user=None)
    text = client.get(pack_url(meeting)).text
    assert "as it stood at the end of 7 July 2026" in text
    assert "Preview" not in text


def test_the_review_form_waits_for_the_meeting_day(client, board_member, future_meeting, priority):
    client.force_login(board_member)
    page = client.get(review_url(future_meeting))
    assert "has not happened yet" in page.text and "Record review</button>" not in page.text
    posted = client.post(review_url(future_meeting), review_data(f"priority-{priority.pk}"))
    assert posted.status_code == 400
    assert not Review.objects.exists()


def test_the_review_form_lists_each_actions_reference_full_text_and_status(
    client, board_member, meeting, action
):
    action.text = "Review support for parents. " * 6
    action_save(action=action, user=None, reason="Longer")
    client.force_login(board_member)
    text = client.get(review_url(meeting)).text
    assert f"1.1 {action.text} (Not started)</option>" in text


def test_the_packs_counts_of_reviews_are_plural_only_when_more_than_one(
    client, board_member, meeting, priority
):
    client.force_login(board_member)
    assert "(0 reviews)" in client.get(pack_url(meeting)).text
    client.post(review_url(meeting), review_data(f"priority-{priority.pk}"))
    assert "(1 review)" in client.get(pack_url(meeting)).text
    client.post(review_url(meeting), review_data(f"priority-{priority.pk}"))
    assert "(2 reviews)" in client.get(pack_url(meeting)).text
