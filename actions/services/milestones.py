"""Milestones: the steps of an action its owners add and tick off."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from sendplan.audit import save_with_history
from sendplan.roles import can_update_action

from ..models import Action, Milestone
from .actions import action_refuse_archived

NOT_YOURS = "You can only change the milestones of actions of the owner roles you hold."


@transaction.atomic
def milestone_add(
    *, action: Action, user, text: str, due_date: datetime.date | None = None, reason: str = ""
) -> Milestone:
    """A new milestone, last of the action's, by its owner or a plan administrator."""
    if not can_update_action(user, action):
        raise PermissionDenied(NOT_YOURS)
    action_refuse_archived(action)
    last = action.milestones.aggregate(Max("order"))["order__max"]
    milestone = Milestone(
        action=action, text=text.strip(), due_date=due_date, order=(last or 0) + 1
    )
    save_with_history(milestone, user=user, reason=reason)
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, user, done: bool, reason: str = "") -> bool:
    """Tick a milestone off (or back on); returns whether it changed."""
    action = milestone.action
    if not can_update_action(user, action):
        raise PermissionDenied(NOT_YOURS)
    if milestone.done == done:
        return False
    action_refuse_archived(action)
    milestone.done = done
    save_with_history(milestone, user=user, reason=reason)
    return True
