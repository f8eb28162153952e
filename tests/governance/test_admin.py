import datetime

import pytest
from django.urls import reverse

from governance.models import Decision, Meeting, Review


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


@pytest.mark.parametrize("model", ["board", "meeting", "review", "decision"])
def test_plan_admin_lists_searches_and_adds_governance_records(admin_client, board, model):
    changelist = reverse(f"admin:governance_{model}_changelist")
    assert admin_client.get(changelist, {"q": "send"}).status_code == 200
    assert admin_client.get(reverse(f"admin:governance_{model}_add")).status_code == 200


def test_board_member_cannot_open_the_governance_admin(client, board_member, board):
    client.force_login(board_member)
    assert client.get(reverse("admin:governance_meeting_changelist")).status_code == 302


def test_review_added_inline_on_a_meeting_records_the_admin(
    admin_client, board, strategy, priority, plan_admin
):
    meeting = Meeting.objects.create(
        board=board, strategy=strategy, date=datetime.date(2026, 5, 5), title="May"
    )
    data = {
        "board": board.pk,
        "strategy": strategy.pk,
        "date": "2026-05-05",
        "title": "May",
        "agenda": "",
        "minutes": "Noted.",
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        "reviews-0-priority": priority.pk,
        "reviews-0-rag": "amber",
        "reviews-0-comment": "Progressing.",
        "reviews-0-recommendation": "",
    }
    response = admin_client.post(
        reverse("admin:governance_meeting_change", args=[meeting.pk]), data
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    review = Review.objects.get()
    assert review.recorded_by == plan_admin
    assert review.history.get().history_user == plan_admin
    assert meeting.history.latest().history_user == plan_admin


def test_decision_saved_in_admin_keeps_its_linked_actions_in_history(
    admin_client, area, action, plan_admin
):
    data = {
        "area": area.pk,
        "number": "115/2022",
        "title": "Joint SEND Strategy 2022-25",
        "date": "2022-10-18",
        "status": "made",
        "lead_officer": "",
        "decision_maker": "Cabinet",
        "delegation": "",
        "decision": "Approved the strategy.",
        "reasons": "",
        "options_rejected": "",
        "conflicts_of_interest": "",
        "key_decision_reason": "",
        "actions": [action.pk],
    }
    response = admin_client.post(reverse("admin:governance_decision_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    decision = Decision.objects.get()
    assert list(decision.actions.all()) == [action]
    latest = decision.history.latest()
    assert [link.action_id for link in latest.actions.all()] == [action.pk]
    assert latest.history_user == plan_admin


def test_the_admin_refuses_a_review_before_the_meeting_day(admin_client, board, strategy, priority):
    day = datetime.date.today() + datetime.timedelta(days=20)
    meeting = Meeting.objects.create(board=board, strategy=strategy, date=day, title="Next")
    response = admin_client.post(
        reverse("admin:governance_review_add"),
        {"meeting": meeting.pk, "priority": priority.pk, "rag": "red", "comment": "Early."},
    )
    assert response.status_code == 200
    assert "has not happened yet" in response.text
    assert not Review.objects.exists()
