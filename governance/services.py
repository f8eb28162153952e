"""Every write to board members, meetings, reviews and decisions goes through these functions.

Like the plan's services they check the role, validate, and record the user and the
reason on each history row. ``user=None`` means a management command run by an operator.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.models import Action
from actions.services import action_create_follow_up
from priorities.models import Priority
from sendplan.audit import delete_with_history, save_with_history
from sendplan.roles import (
    can_manage_governance,
    can_publish_public_text,
    can_record_engagement,
    can_review_at,
)

from .models import Board, BoardMembership, Decision, Engagement, Meeting, Review


@dataclass(frozen=True)
class FollowUp:
    """An action the board asks for: it becomes an action of the reviewed priority."""

    text: str
    owner_name: str
    due_date: datetime.date


def _require_manager(user) -> None:
    if user is not None and not can_manage_governance(user):
        raise PermissionDenied("Only plan administrators can change meetings and decisions.")


@transaction.atomic
def board_member_add(*, board: Board, member, user, role: str = "", reason: str = ""):
    """Seat a user on a board (or change their role on it); returns the membership."""
    _require_manager(user)
    membership = BoardMembership.objects.filter(board=board, user=member).first()
    if membership is None:
        membership = BoardMembership(board=board, user=member)
    elif membership.role == role:
        return membership
    membership.role = role
    save_with_history(membership, user=user, reason=reason)
    return membership


@transaction.atomic
def board_member_remove(*, board: Board, member, user, reason: str = "") -> None:
    _require_manager(user)
    for membership in BoardMembership.objects.filter(board=board, user=member):
        delete_with_history(membership, user=user, reason=reason)


@transaction.atomic
def meeting_save(*, meeting: Meeting, user, reason: str = "") -> Meeting:
    _require_manager(user)
    save_with_history(meeting, user=user, reason=reason)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user, reason: str = "") -> None:
    """Delete a meeting entered in error; its reviews go with it, their history stays."""
    _require_manager(user)
    for review in meeting.reviews.all():
        delete_with_history(review, user=user, reason=reason)
    delete_with_history(meeting, user=user, reason=reason)


@transaction.atomic
def decision_save(
    *, decision: Decision, user, actions: list[Action] | None = None, reason: str = ""
) -> Decision:
    """Create or change a decision; ``actions``, when given, become exactly its linked actions."""
    _require_manager(user)
    save_with_history(decision, user=user, reason=reason)
    if actions is not None:
        decision.actions.set(actions)
    return decision


@transaction.atomic
def review_record(
    *,
    meeting: Meeting,
    priority: Priority,
    user,
    action: Action | None = None,
    rag: str = "",
    comment: str = "",
    recommendation: str = "",
    follow_ups: Sequence[FollowUp] = (),
) -> Review:
    """Record the board's review of an action or a priority, creating its follow-up actions."""
    if not can_review_at(user, meeting):
        raise PermissionDenied("Only members of this board and plan administrators can review.")
    if errors := review_errors(
        meeting=meeting,
        priority=priority,
        comment=comment,
        recommendation=recommendation,
        rag=rag,
        follow_ups=follow_ups,
    ):
        raise ValidationError(errors)
    reason = f"Review at the {meeting.board.name} meeting of {meeting.date:%d/%m/%Y}"
    review = Review(
        meeting=meeting,
        priority=priority,
        action=action,
        rag=rag,
        comment=comment.strip(),
        recommendation=recommendation.strip(),
        recorded_by=user,
    )
    save_with_history(review, user=user, reason=reason)
    if follow_ups:
        subject = f"review of {review.subject_reference}"
        created = [
            _create_follow_up(
                priority=priority, follow_up=f, user=user, reason=f"Follow-up from the {subject}"
            )
            for f in follow_ups
        ]
        review.follow_ups.add(*created)
    return review


def review_errors(
    *,
    meeting: Meeting,
    priority: Priority,
    rag: str,
    comment: str,
    recommendation: str,
    follow_ups: Sequence[FollowUp],
) -> dict[str, str]:
    """What makes a review unusable, by field name: nothing said, or the wrong plan."""
    errors = {}
    if priority.strategy_id != meeting.strategy_id:
        errors["priority"] = "Choose a priority of the plan this meeting monitors."
    if not (rag or comment.strip() or recommendation.strip() or follow_ups):
        errors["comment"] = (
            "Give the board's RAG rating, a comment, a recommendation or a follow-up action."
        )
    for follow_up in follow_ups:
        if not (follow_up.text.strip() and follow_up.owner_name.strip() and follow_up.due_date):
            errors["follow_ups"] = "Give each follow-up action its text, owner and due date."
    return errors


def _create_follow_up(*, priority: Priority, follow_up: FollowUp, user, reason: str) -> Action:
    reference, order = next_action_reference(priority)
    return action_create_follow_up(
        priority=priority,
        reference=reference,
        order=order,
        text=follow_up.text.strip(),
        owner_name=follow_up.owner_name.strip(),
        due_date=follow_up.due_date,
        user=user,
        reason=reason,
    )


def next_action_reference(priority: Priority) -> tuple[str, int]:
    """The next free "N.M" reference of the priority, and the order that puts it last.

    References once used, even by a since-deleted action, stay retired, so a reference
    read in an old board pack never comes to mean another action. Locks the priority so
    two reviews saved at once cannot take the same reference.
    """
    Priority.objects.select_for_update().get(pk=priority.pk)
    pattern = re.compile(rf"^{priority.number}\.(\d+)$")
    used = Action.history.filter(priority_id=priority.pk).values_list("reference", flat=True)
    numbers = [int(match[1]) for reference in used if (match := pattern.match(reference))]
    last_order = Action.objects.filter(priority=priority).aggregate(Max("order"))["order__max"]
    return f"{priority.number}.{max(numbers, default=0) + 1}", (last_order or 0) + 1


# What "You said, we did" shows: a change to any of these needs a plan admin's approval again.
ENGAGEMENT_PUBLIC_FIELDS = (
    "title",
    "date",
    "groups",
    "participants",
    "method",
    "level",
    "you_said",
    "we_did",
)


@transaction.atomic
def engagement_save(
    *,
    engagement: Engagement,
    user,
    priorities: Sequence[Priority] = (),
    actions: Sequence[Action] = (),
    reason: str = "",
) -> Engagement:
    """Record or change an engagement and the priorities and actions it shaped.

    When someone who cannot publish changes what the public page shows, the engagement
    leaves the public page until a plan admin approves it again.
    """
    if user is not None and not can_record_engagement(user):
        raise PermissionDenied("Only plan admins and action owners record engagement.")
    strategy_id = engagement.strategy_id
    if any(p.strategy_id != strategy_id for p in priorities) or any(
        a.priority.strategy_id != strategy_id for a in actions
    ):
        raise ValidationError(
            {"priorities": "Link only priorities and actions of the engagement's own plan."}
        )
    if engagement.pk is None and user is not None:
        engagement.recorded_by = user
    elif engagement.is_published and not (user is None or can_publish_public_text(user)):
        before = Engagement.objects.get(pk=engagement.pk)
        if any(getattr(before, f) != getattr(engagement, f) for f in ENGAGEMENT_PUBLIC_FIELDS):
            engagement.is_published = False
            reason = reason or "Changed: waits for a plan admin to approve it again"
    save_with_history(engagement, user=user, reason=reason)
    engagement.priorities.set(priorities)
    engagement.actions.set(actions)
    return engagement


@transaction.atomic
def engagement_publish(*, engagement: Engagement, user, publish: bool = True) -> Engagement:
    """A plan admin approves an engagement for the public page (or takes it off)."""
    if user is not None and not can_publish_public_text(user):
        raise PermissionDenied("Only plan admins approve text for the public pages.")
    engagement.is_published = publish
    if publish:
        engagement.published_by = user
        engagement.published_at = timezone.now()
    reason = "Approved for the public page" if publish else "Taken off the public page"
    save_with_history(engagement, user=user, reason=reason)
    return engagement
