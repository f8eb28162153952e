"""The admin writes public texts through the services: drafts, approvals and history."""

from django.urls import reverse

from public_pages import services
from public_pages.models import PriorityPublication, StrategyPublication


def test_plan_admin_publishes_a_strategy_in_the_admin_with_history(client, strategy, plan_admin):
    client.force_login(plan_admin)
    response = client.post(
        reverse("admin:public_pages_strategypublication_add"),
        {"strategy": strategy.pk, "is_published": "on", "introduction": "Our plan."},
    )
    assert response.status_code == 302
    publication = StrategyPublication.objects.get()
    assert publication.is_published and publication.published_at is not None
    assert publication.history.get().history_user == plan_admin


def test_admin_approve_action_publishes_waiting_drafts(
    client, priority, action, officer, plan_admin
):
    draft = services.priority_publication_draft(
        priority=priority, user=officer, easy_read="Short words.", summary=""
    )
    client.force_login(plan_admin)
    client.post(
        reverse("admin:public_pages_prioritypublication_changelist"),
        {"action": "approve", "_selected_action": [draft.pk]},
    )
    published = PriorityPublication.objects.get()
    assert published.easy_read == "Short words." and published.published_by == plan_admin
