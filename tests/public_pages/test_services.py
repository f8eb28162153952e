"""Officers draft public text, only plan admins publish it, and the history keeps both."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action, Owner
from public_pages import services
from public_pages.choices import PublicStatus
from public_pages.models import ActionPublication, PriorityPublication, StrategyPublication


def test_officer_drafts_public_text_for_an_action_of_a_role_they_hold(action, officer):
    draft = services.action_publication_draft(
        action=action, user=officer, title="Help parents earlier", status=PublicStatus.PLANNED
    )
    assert draft.draft_waiting
    assert (draft.title, draft.status, draft.published_at) == ("", "", None)


def test_officer_cannot_draft_for_an_action_of_someone_elses_role(priority, area, officer):
    other = Action.objects.create(priority=priority, reference="1.2", text="Not theirs.")
    other.owners.add(Owner.objects.create(area=area, name="Head of Education"))
    with pytest.raises(PermissionDenied):
        services.action_publication_draft(
            action=other, user=officer, title="T", status=PublicStatus.PLANNED
        )


def test_officer_drafts_for_a_priority_with_an_action_they_own(priority, action, officer):
    draft = services.priority_publication_draft(
        priority=priority, user=officer, easy_read="Short words.", summary="More words."
    )
    assert draft.draft_waiting and draft.easy_read == ""


def test_board_member_cannot_draft(priority, action, board_member):
    with pytest.raises(PermissionDenied):
        services.priority_publication_draft(
            priority=priority, user=board_member, easy_read="E", summary=""
        )


def test_officer_cannot_approve_their_own_draft(action, officer):
    draft = services.action_publication_draft(
        action=action, user=officer, title="Help parents earlier", status=PublicStatus.PLANNED
    )
    with pytest.raises(PermissionDenied):
        services.publication_approve(publication=draft, user=officer)
    draft.refresh_from_db()
    assert draft.title == "" and draft.draft_waiting


def test_plan_admin_approval_publishes_the_draft_and_history_keeps_who_did_what(
    action, officer, plan_admin
):
    draft = services.action_publication_draft(
        action=action, user=officer, title="Help parents earlier", status=PublicStatus.PLANNED
    )
    services.publication_approve(publication=draft, user=plan_admin)
    published = ActionPublication.objects.get(action=action)
    assert (published.title, published.status) == ("Help parents earlier", PublicStatus.PLANNED)
    assert not published.draft_waiting
    assert published.published_by == plan_admin and published.drafted_by == officer
    history = list(published.history.order_by("history_date"))
    assert [(h.history_user, h.title, h.draft_title) for h in history] == [
        (officer, "", "Help parents earlier"),
        (plan_admin, "Help parents earlier", "Help parents earlier"),
    ]
    assert history[1].history_change_reason == "Approved for the public page"


def test_a_new_draft_leaves_the_published_text_until_approved(action, officer, plan_admin):
    draft = services.action_publication_draft(
        action=action, user=officer, title="First", status=PublicStatus.PLANNED
    )
    services.publication_approve(publication=draft, user=plan_admin)
    draft = services.action_publication_draft(
        action=action, user=officer, title="Second", status=PublicStatus.UNDER_WAY
    )
    assert draft.draft_waiting and draft.title == "First"


def test_approval_needs_an_easy_read_summary(priority, plan_admin):
    draft = services.priority_publication_draft(
        priority=priority, user=plan_admin, easy_read="", summary="Only the long text."
    )
    with pytest.raises(ValidationError) as error:
        services.publication_approve(publication=draft, user=plan_admin)
    assert "easy-read" in str(error.value)
    assert PriorityPublication.objects.get(priority=priority).published_at is None


def test_only_a_plan_admin_publishes_a_strategy(strategy, officer, plan_admin):
    with pytest.raises(PermissionDenied):
        services.strategy_publication_save(
            strategy=strategy, user=officer, is_published=True, introduction=""
        )
    services.strategy_publication_save(
        strategy=strategy, user=plan_admin, is_published=True, introduction="Our plan."
    )
    assert StrategyPublication.objects.get(strategy=strategy).is_published


def test_only_a_plan_admin_shows_a_measure_on_the_public_page(measure, officer, plan_admin):
    with pytest.raises(PermissionDenied):
        services.measure_publication_save(measure=measure, user=officer, is_published=True)
    shown = services.measure_publication_save(measure=measure, user=plan_admin, is_published=True)
    assert shown.is_published and shown.history.get().history_user == plan_admin
