"""Engagement with families: who records it, who approves it, and where it shows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.choices import EngagementGroup, EngagementMethod, InvolvementLevel
from governance.models import Engagement
from governance.selectors import board_pack
from tests.pages.conftest import count_queries

from .conftest import london


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


@pytest.fixture
def admin_client_(client, plan_admin):
    client.force_login(plan_admin)
    return client


def make_engagement(strategy, **fields) -> Engagement:
    values = {
        "strategy": strategy,
        "title": "Forum workshop",
        "date": datetime.date(2026, 5, 1),
        "groups": [EngagementGroup.PARENT_CARER_FORUM],
        "method": EngagementMethod.WORKSHOP,
        "level": InvolvementLevel.CO_PRODUCE,
        "you_said": "Families want termly reports.",
        "we_did": "Reports now go out every term.",
    }
    return Engagement(**{**values, **fields})


def form_data(**overrides):
    data = {
        "title": "Termly survey",
        "date": "2026-05-01",
        "groups": ["parents_and_carers", "parent_carer_forum"],
        "participants": "120 parents and carers",
        "method": "survey",
        "level": "consult",
        "you_said": "Letters are hard to read.",
        "we_did": "Letters were rewritten with the forum.",
        "internal_notes": "",
    }
    return {**data, **overrides}


def test_officer_holding_an_owner_role_records_an_engagement_linked_to_their_action(
    officer_client, strategy, priority, action, officer
):
    url = reverse("governance:engagement_create", args=[strategy.pk])
    response = officer_client.post(url, form_data(priorities=[priority.pk], actions=[action.pk]))
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.recorded_by == officer and not engagement.is_published
    assert engagement.group_labels == ["Parents and carers", "Parent carer forum"]
    assert list(engagement.actions.all()) == [action]
    assert {row.history_user for row in engagement.history.all()} == {officer}


def test_engagement_form_names_each_missing_answer(officer_client, strategy, officer):
    url = reverse("governance:engagement_create", args=[strategy.pk])
    response = officer_client.post(url, form_data(groups=[], you_said="", method=""))
    assert response.status_code == 200
    assert "Choose at least one group that took part." in response.text
    assert "Enter what people said." in response.text
    assert "Choose how people took part." in response.text
    assert not Engagement.objects.exists()


def test_board_member_without_an_owner_role_cannot_record_one(board_client, strategy, board_member):
    url = reverse("governance:engagement_create", args=[strategy.pk])
    assert board_client.post(url, form_data()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.engagement_save(engagement=make_engagement(strategy), user=board_member)


def test_only_a_plan_admin_approves_an_engagement_for_the_public_page(
    strategy, officer, plan_admin
):
    engagement = services.engagement_save(engagement=make_engagement(strategy), user=officer)
    with pytest.raises(PermissionDenied):
        services.engagement_publish(engagement=engagement, user=officer)
    services.engagement_publish(engagement=engagement, user=plan_admin)
    engagement.refresh_from_db()
    assert engagement.is_published and engagement.published_by == plan_admin
    assert engagement.history.first().history_change_reason == "Approved for the public page"


def test_it_cannot_be_published_before_saying_what_changed(strategy, plan_admin):
    engagement = services.engagement_save(
        engagement=make_engagement(strategy, we_did=""), user=plan_admin
    )
    with pytest.raises(ValidationError) as error:
        services.engagement_publish(engagement=engagement, user=plan_admin)
    assert "what changed" in str(error.value)


def test_an_officers_change_to_published_text_waits_for_approval_again(
    strategy, officer, plan_admin
):
    engagement = services.engagement_save(engagement=make_engagement(strategy), user=officer)
    services.engagement_publish(engagement=engagement, user=plan_admin)
    engagement.internal_notes = "Follow up in June."
    services.engagement_save(engagement=engagement, user=officer)
    assert Engagement.objects.get().is_published
    engagement.we_did = "Something else."
    services.engagement_save(engagement=engagement, user=officer)
    assert not Engagement.objects.get().is_published


def test_links_must_be_of_the_engagements_own_plan(strategy, area, officer):
    from priorities.models import Priority, Strategy

    other = Strategy.objects.create(area=area, title="Another plan")
    elsewhere = Priority.objects.create(strategy=other, number=1, title="Elsewhere")
    with pytest.raises(ValidationError):
        services.engagement_save(
            engagement=make_engagement(strategy), user=officer, priorities=[elsewhere]
        )
    assert not Engagement.objects.exists()


def test_plan_admin_approves_on_the_engagements_page(admin_client_, strategy, plan_admin):
    engagement = services.engagement_save(engagement=make_engagement(strategy), user=plan_admin)
    page = admin_client_.get(reverse("governance:engagement_list"))
    assert "Approve for the public page" in page.text
    admin_client_.post(
        reverse("governance:engagement_publish", args=[engagement.pk]), {"publish": "yes"}
    )
    assert Engagement.objects.get().is_published


def test_officer_sees_no_approve_button_and_cannot_post_one(officer_client, strategy, officer):
    engagement = services.engagement_save(engagement=make_engagement(strategy), user=officer)
    assert (
        "Approve for the public page"
        not in officer_client.get(reverse("governance:engagement_list")).text
    )
    url = reverse("governance:engagement_publish", args=[engagement.pk])
    assert officer_client.post(url, {"publish": "yes"}).status_code == 403


def test_the_action_page_shows_engagements_that_shaped_it_or_its_priority(
    board_client, strategy, priority, action, plan_admin
):
    services.engagement_save(
        engagement=make_engagement(strategy, title="About the action"),
        user=plan_admin,
        actions=[action],
    )
    services.engagement_save(
        engagement=make_engagement(strategy, title="About the priority", internal_notes="Note"),
        user=plan_admin,
        priorities=[priority],
    )
    services.engagement_save(
        engagement=make_engagement(strategy, title="About nothing here"), user=plan_admin
    )
    text = board_client.get(reverse("actions:detail", args=[action.pk])).text
    assert "About the action" in text and "About the priority" in text
    assert "About nothing here" not in text
    assert "Families want termly reports." in text and "Note" in text


def test_the_action_page_reads_engagements_in_a_fixed_number_of_queries(
    board_client, strategy, priority, action, plan_admin
):
    url = reverse("actions:detail", args=[action.pk])
    services.engagement_save(
        engagement=make_engagement(strategy), user=plan_admin, actions=[action]
    )
    one = count_queries(board_client, url)
    for number in range(5):
        services.engagement_save(
            engagement=make_engagement(strategy, title=f"E{number}"),
            user=plan_admin,
            actions=[action],
            priorities=[priority],
        )
    assert count_queries(board_client, url) == one


def test_board_pack_lists_engagements_since_the_previous_meeting(
    make_meeting, strategy, plan_admin
):
    make_meeting(datetime.date(2026, 4, 1), "April board")
    july = make_meeting(datetime.date(2026, 7, 1), "July board")
    for title, day in [
        ("Before April", datetime.date(2026, 3, 1)),
        ("Between", datetime.date(2026, 5, 1)),
        ("After July", datetime.date(2026, 8, 1)),
    ]:
        services.engagement_save(
            engagement=make_engagement(strategy, title=title, date=day, recorded_at=london(day)),
            user=plan_admin,
        )
    # Recorded after the meeting about an earlier day: not in the pack as it stood.
    services.engagement_save(
        engagement=make_engagement(
            strategy,
            title="Recorded late",
            date=datetime.date(2026, 6, 1),
            recorded_at=london(datetime.date(2026, 7, 10)),
        ),
        user=plan_admin,
    )
    pack = board_pack(july)
    assert [e.title for e in pack.engagements] == ["Between"]


def test_board_pack_page_shows_you_said_we_did(board_client, make_meeting, strategy, plan_admin):
    july = make_meeting(datetime.date(2026, 7, 1), "July board")
    services.engagement_save(
        engagement=make_engagement(strategy, recorded_at=london(datetime.date(2026, 5, 1))),
        user=plan_admin,
    )
    text = board_client.get(reverse("governance:meeting_pack", args=[july.pk])).text
    assert "6. You said, we did" in text and "Reports now go out every term." in text


def test_plan_admin_records_and_approves_an_engagement_in_the_admin(
    admin_client_, strategy, priority, plan_admin
):
    response = admin_client_.post(
        reverse("admin:governance_engagement_add"),
        {
            "strategy": strategy.pk,
            "title": "Consultation",
            "date": "2022-09-23",
            "groups": ["public"],
            "method": "consultation",
            "level": "consult",
            "you_said": "Show progress.",
            "we_did": "Progress is published.",
            "priorities": [priority.pk],
        },
    )
    assert response.status_code == 302, response.content[:3000]
    engagement = Engagement.objects.get()
    assert engagement.recorded_by == plan_admin and list(engagement.priorities.all()) == [priority]
    admin_client_.post(
        reverse("admin:governance_engagement_changelist"),
        {"action": "approve_for_public_page", "_selected_action": [engagement.pk]},
    )
    engagement.refresh_from_db()
    assert engagement.is_published and engagement.published_by == plan_admin
