"""Signed-in pages: an officer drafts public text, a plan admin approves it, and it shows."""

from django.urls import reverse

from public_pages.models import ActionPublication, PriorityPublication
from tests.public_pages.conftest import page_url


def test_officer_drafts_and_plan_admin_approves_and_it_appears(
    client, published_plan, priority, officer, plan_admin
):
    client.force_login(officer)
    response = client.post(
        reverse("publishing:priority", args=[priority.pk]),
        {"easy_read": "Waits are getting shorter.", "summary": "Extra clinics were funded."},
    )
    assert response.status_code == 302
    overview = client.get(reverse("publishing:strategy", args=[published_plan.pk])).text
    assert "Draft waiting for approval" in overview and "Approve and publish" not in overview
    client.logout()
    assert "Waits are getting shorter." not in client.get(page_url(published_plan)).text

    client.force_login(plan_admin)
    overview = client.get(reverse("publishing:strategy", args=[published_plan.pk])).text
    assert "Approve and publish" in overview
    publication = PriorityPublication.objects.get(priority=priority)
    client.post(reverse("publishing:approve", args=["priority", publication.pk]))
    client.logout()
    from django.core.cache import caches

    caches["public"].clear()  # as a minute passing would
    assert "Waits are getting shorter." in client.get(page_url(published_plan)).text


def test_officer_cannot_approve_by_posting(client, action, officer):
    client.force_login(officer)
    client.post(
        reverse("publishing:action", args=[action.pk]),
        {"title": "Help parents earlier", "status": "planned"},
    )
    publication = ActionPublication.objects.get(action=action)
    response = client.post(reverse("publishing:approve", args=["action", publication.pk]))
    assert response.status_code == 403
    assert ActionPublication.objects.get(action=action).title == ""


def test_the_draft_form_names_what_is_missing(client, action, officer):
    client.force_login(officer)
    response = client.post(reverse("publishing:action", args=[action.pk]), {"title": ""})
    assert "Write the public title." in response.text
    assert "Choose the public status." in response.text
    assert not ActionPublication.objects.exists()


def test_board_member_cannot_draft(client, action, board_member):
    client.force_login(board_member)
    assert client.get(reverse("publishing:action", args=[action.pk])).status_code == 403


def test_plan_admin_publishes_the_strategy_page(client, strategy, plan_admin):
    client.force_login(plan_admin)
    client.post(
        reverse("publishing:strategy_publish", args=[strategy.pk]),
        {"is_published": "on", "introduction": "Our promises and how they are going."},
    )
    client.logout()
    text = client.get(page_url(strategy)).text
    assert "Our promises and how they are going." in text
