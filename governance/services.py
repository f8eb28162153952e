"""Every write to board members, meetings, reviews and decisions goes through these functions.

Like the plan's services they check the role, validate, and record the user and the
reason on each history row. ``user=None`` means a management command run by an operator.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions import rules
from actions.models import Action
from actions.services.actions import action_create_follow_up
from priorities.models import Priority
from sendplan.audit import delete_with_history, save_with_history
from sendplan.roles import (
    can_publish_public_text,
    can_record_engagement,
    can_review_at,
    in_areas,
    require_governance_manager,
    require_in_areas,
)

from .choices import PapersRoute
from .models import (
    ENGAGEMENT_PUBLIC_FIELDS,
    Board,
    BoardMembership,
    Decision,
    Engagement,
    Meeting,
    Papers,
    Review,
    RoundAction,
    UpdateRound,
)
from .papers import papers_contents
from .selectors import board_pack, meeting_cutoff


@dataclass(frozen=True)
class FollowUp:
    """An action the board asks for: it becomes an action of the reviewed priority."""

    text: str
    owner_name: str
    due_date: datetime.date


@transaction.atomic
def board_member_add(*, board: Board, member, user, role: str = "", reason: str = ""):
    """Seat a user on a board (or change their role on it); returns the membership."""
    require_governance_manager(user, board)
    if not in_areas(member, board):
        raise ValidationError(
            {"user": f"{member} does not work in {board.area}: give them the area first."}
        )
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
    require_governance_manager(user, board)
    delete_with_history(
        *BoardMembership.objects.filter(board=board, user=member), user=user, reason=reason
    )


@transaction.atomic
def meeting_save(*, meeting: Meeting, user, reason: str = "") -> Meeting:
    require_governance_manager(user, meeting, meeting.strategy)
    save_with_history(meeting, user=user, reason=reason)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user, reason: str = "") -> None:
    """Delete a meeting entered in error; its reviews go with it, their history stays.
    A meeting whose papers were published is on record and stays."""
    require_governance_manager(user, meeting)
    if Papers.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            f"The papers of {meeting} were published: the meeting stays on record with them."
        )
    delete_with_history(*meeting.reviews.all(), meeting, user=user, reason=reason)


@transaction.atomic
def decision_save(
    *, decision: Decision, user, actions: list[Action] | None = None, reason: str = ""
) -> Decision:
    """Create or change a decision; ``actions``, when given, become exactly its linked actions."""
    require_governance_manager(
        user, decision, decision.strategy, decision.meeting, *(actions or ())
    )
    recorded_meeting = (
        Decision.objects.filter(pk=decision.pk).values_list("meeting_id", flat=True).first()
    )
    if decision.pk is None or recorded_meeting != decision.meeting_id:
        # The papers the decision refers to: its meeting's, as they stand when it is recorded.
        decision.papers = papers_latest(decision.meeting_id)
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
    review = Review(
        meeting=meeting,
        priority=priority,
        action=action,
        rag=rag,
        comment=comment.strip(),
        recommendation=recommendation.strip(),
        recorded_by=user,
        papers=papers_latest(meeting.pk),
    )
    if errors := review_errors(review, follow_ups=follow_ups):
        raise ValidationError(errors)
    reason = f"Review at the {meeting.board.name} meeting of {meeting.date:%d/%m/%Y}"
    save_with_history(review, user=user, reason=reason)
    if follow_ups:
        reason = f"Follow-up from the review of {review.subject_reference}"
        review.follow_ups.add(
            *(
                action_create_follow_up(
                    meeting=meeting,
                    priority=priority,
                    text=follow_up.text.strip(),
                    owner_name=follow_up.owner_name.strip(),
                    due_date=follow_up.due_date,
                    user=user,
                    reason=reason,
                )
                for follow_up in follow_ups
            )
        )
    return review


def review_errors(review: Review, *, follow_ups: Sequence[FollowUp]) -> dict[str, str]:
    """What makes a review unusable, by field name: nothing said, or the wrong plan.
    (A meeting still to come is refused by Review.clean, which saving runs.)"""
    errors = {}
    if not review.meeting.monitors(review.priority):
        errors["priority"] = "Choose a priority of the plan this meeting monitors."
    if not (review.rag or review.comment or review.recommendation or follow_ups):
        errors["comment"] = (
            "Give the board's RAG rating, a comment, a recommendation or a follow-up action."
        )
    for follow_up in follow_ups:
        if not (follow_up.text.strip() and follow_up.owner_name.strip() and follow_up.due_date):
            errors["follow_ups"] = "Give each follow-up action its text, owner and due date."
    return errors


# Published papers (issue 21) ------------------------------------------------------------


def papers_latest(meeting_id: int | None) -> Papers | None:
    """The latest version of a meeting's papers, without its contents: what a review or a
    decision recorded now refers to."""
    if meeting_id is None:
        return None
    return Papers.objects.listed().filter(meeting_id=meeting_id).first()


@transaction.atomic
def papers_publish(
    *,
    meeting: Meeting,
    user,
    route: str = PapersRoute.PAGE,
    as_at: datetime.datetime | None = None,
    published_at: datetime.datetime | None = None,
) -> Papers:
    """Publish the meeting's papers: the pack as the plan stands now, kept as the next
    version. Until the meeting day ends they may be published again; after it, only a
    meeting that has none gets them, showing the plan as it stood at the end of its day.

    ``as_at`` and ``published_at`` are for the migration and the demo, which publish as
    at a past moment from the history.
    """
    require_governance_manager(user, meeting)
    # One version at a time per meeting (PostgreSQL; SQLite writes one at a time anyway).
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    latest = Papers.objects.filter(meeting=meeting).values_list("version", flat=True).first()
    now = timezone.now()
    end_of_day = meeting_cutoff(meeting)
    if end_of_day <= now:
        if latest is not None:
            raise ValidationError(
                f"The meeting of {meeting.date.day} {meeting.date:%B %Y} has happened: its "
                "papers are the record of what the board read and are not published again."
            )
        as_at = as_at or end_of_day
    as_at = as_at or now
    pack = board_pack(meeting, as_at=as_at)
    papers = Papers(
        meeting=meeting,
        version=(latest or 0) + 1,
        published_at=published_at or now,
        published_by=user,
        published_by_name="" if user is None else user.get_full_name() or user.get_username(),
        route=route,
        **papers_contents(pack),
    )
    papers.full_clean()
    papers.save()
    return papers


# Update rounds (issue 12) ---------------------------------------------------------------


def round_default_deadline(meeting: Meeting) -> datetime.date:
    """SENDPLAN_ROUND_DEADLINE_DAYS before the meeting, or today when that has passed."""
    days = datetime.timedelta(days=settings.SENDPLAN_ROUND_DEADLINE_DAYS)
    return max(meeting.date - days, rules.today())


@transaction.atomic
def round_start(
    *,
    meeting: Meeting,
    user,
    deadline: datetime.date | None = None,
    actions: Sequence[Action] | None = None,
) -> UpdateRound:
    """Start the update round of a coming meeting, covering ``actions`` (default: every
    open action of its plan). Asking the owners is the e-mail job's part, not this one's."""
    require_governance_manager(user, meeting)
    today = rules.today()
    if deadline is None:
        deadline = round_default_deadline(meeting)
    plan_actions = Action.objects.filter(priority__strategy_id=meeting.strategy_id)
    covered = list(plan_actions.open() if actions is None else actions)
    errors = {}
    if meeting.date < today:
        errors["meeting"] = "This meeting has already happened: start a round for a coming one."
    elif UpdateRound.objects.filter(meeting=meeting).exists():
        errors["meeting"] = "This meeting already has an update round."
    if deadline < today:
        errors["deadline"] = "The deadline has passed: choose today or a later day."
    if not covered:
        errors["actions"] = "Choose at least one action for the round to cover."
    elif actions is not None:
        ids = {action.pk for action in covered}
        if plan_actions.filter(pk__in=ids).count() != len(ids):
            errors["actions"] = "Choose actions of the plan this meeting monitors."
    if errors:
        raise ValidationError(errors)
    update_round = UpdateRound(meeting=meeting, deadline=deadline, started_by=user)
    reason = f"Update round before the meeting of {meeting.date:%d/%m/%Y}"
    save_with_history(update_round, user=user, reason=reason)
    # Written once with the round, whose own history row records its start.
    RoundAction.objects.bulk_create(
        [RoundAction(round=update_round, action=action) for action in covered]
    )
    return update_round


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
    # Recorded in the area of its plan (a new one's, or the plan it moves to), by a role there.
    require_in_areas(user, engagement, perm="actions.update_own_action")
    if user is not None and not can_record_engagement(user, engagement.strategy):
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
    elif engagement.is_published and not (
        user is None or can_publish_public_text(user, engagement.strategy)
    ):
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
    require_in_areas(user, engagement, perm="public_pages.publish_public_text")
    engagement.is_published = publish
    if publish:
        engagement.published_by = user
        engagement.published_at = timezone.now()
    reason = "Approved for the public page" if publish else "Taken off the public page"
    save_with_history(engagement, user=user, reason=reason)
    return engagement
