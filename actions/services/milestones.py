"""Milestones: the steps of an action its owners add and tick off."""

import datetime
from collections.abc import Collection, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from sendplan.audit import bulk_update_with_history, save_with_history
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
    return write_new_milestone(
        action=action, user=user, text=text, due_date=due_date, reason=reason
    )


def write_new_milestone(
    *, action: Action, user, text: str, due_date: datetime.date | None, reason: str
) -> Milestone:
    """A milestone last of the action's (permission and plan checked by the caller)."""
    last = action.milestones.aggregate(Max("order"))["order__max"]
    milestone = Milestone(
        action=action, text=text.strip(), due_date=due_date, order=(last or 0) + 1
    )
    save_with_history(milestone, user=user, reason=reason)
    return milestone


def write_milestones_done(
    *, milestones: Iterable[Milestone], user, done: Collection[int], reason: str
) -> list[Milestone]:
    """Tick off the milestones whose id is in ``done`` and untick the others, in one update
    with a history row for each that changed; those already so are not written at all.
    Permission and plan checked by the caller. Returns the changed ones."""
    changed = [milestone for milestone in milestones if milestone.done != (milestone.pk in done)]
    for milestone in changed:
        milestone.done = not milestone.done
    bulk_update_with_history(changed, Milestone, ["done"], user=user, reason=reason)
    return changed


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
