"""The officer's update of their action: progress, a moved due date and milestones, at once."""

import datetime
from collections.abc import Collection

from django.db import transaction

from ..models import Action
from .actions import owner_update_locked, write_due_date, write_progress
from .milestones import write_milestones_done, write_new_milestone


@transaction.atomic
def action_update_by_owner(
    *,
    action: Action,
    user,
    status: str,
    rag: str,
    percent_complete: int,
    note: str,
    seen_version: int | None,
    milestones_done: Collection[int] = frozenset(),
    new_milestone: str = "",
    new_milestone_due: datetime.date | None = None,
    new_due_date: datetime.date | None = None,
    due_date_reason: str = "",
) -> Action:
    """All of the update form's changes or none; returns the action as saved.

    ``action`` comes with its plan and milestones loaded. The permission, the archived
    plan and the version seen are checked once, for the whole update; the milestones the
    officer ticked or unticked are written together, each with its history row bearing
    the note as reason, and the others not at all, so the update costs as many queries
    whatever the number of milestones.
    """
    current = owner_update_locked(action=action, user=user, seen_version=seen_version)
    updated = write_progress(
        current=current,
        user=user,
        status=status,
        rag=rag,
        percent_complete=percent_complete,
        note=note,
    )
    if new_due_date:
        updated = write_due_date(
            current=updated, user=user, due_date=new_due_date, reason=due_date_reason
        )
    write_milestones_done(
        milestones=action.milestones.all(), user=user, done=milestones_done, reason=note
    )
    if new_milestone.strip():
        write_new_milestone(
            action=action, user=user, text=new_milestone, due_date=new_milestone_due, reason=note
        )
    return updated
