"""Saving an action: the rules every write applies (action_prepare), and the writes.

The plan admin's form, the officer's progress update, bulk updates, the importer's batch
and a board's follow-ups all prepare an action with action_prepare, so a reason is asked
for and the version bumped by one rule, and every history row is written by
sendplan/audit.py.
"""

import copy
import datetime
import functools
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max

from priorities.choices import StrategyStage
from priorities.models import Priority
from sendplan.audit import delete_with_history, save_with_history
from sendplan.deleted import deletion_to_restore, restore_deleted
from sendplan.roles import can_review_at, can_update_action, require_plan_editor

from ..choices import Status
from ..deadlines import parse_deadline
from ..models import Action, ActionOwner, ProgressUpdate
from ..owner_names import OwnerDirectory
from ..selectors.history import changes_since_version, differences
from .ownership import find_or_create_checked

# Fields whose change a board must be able to explain: a reason is required. The admin
# asks for it by field; the officer's page, whose reason is the progress note (and where
# the due date cannot change), asks once.
FIELDS_NEEDING_REASON = {
    "status": "Give a reason for changing the status.",
    "rag": "Give a reason for changing the RAG rating.",
    "due_date": "Give a reason for moving the due date.",
}
NOTE_NEEDED = "Add a note saying why the status or RAG rating changed."
# 100% done but not marked completed is a question, not an answer: the owner is asked.
COMPLETE_QUESTION = (
    "Is this action complete? Select “Completed” as its status, "
    "or enter less than 100 percent complete."
)
# What an action says, beyond where it sits in the plan: what forms and imports set.
ACTION_CONTENT_FIELDS = (
    "order",
    "text",
    "deadline_text",
    "due_date",
    "is_ongoing",
    "status",
    "rag",
    "percent_complete",
)
TRACKED_FIELDS = ["priority_id", "reference", *ACTION_CONTENT_FIELDS]


class ActionChangedMeanwhile(Exception):
    """Someone else saved the action after this form was opened."""

    def __init__(self, action: Action, changes: dict[str, tuple]):
        self.action = action
        self.changes = changes
        super().__init__(f"Action {action.reference} was changed by someone else meanwhile.")


def action_changed_fields(old: Action | None, new: Action) -> dict[str, tuple]:
    """{field: (old value, new value)} for the fields that differ."""
    return {} if old is None else differences(old, new, TRACKED_FIELDS)


def action_prepare(
    *,
    old: Action | None,
    action: Action,
    reason: str,
    reason_is_note: bool = False,
    known_valid: set[tuple[str, Any]] | None = None,
) -> dict[str, tuple] | None:
    """Apply the rules of saving an action to ``action``, given ``old``, as stored (None if new).

    Returns the changes to write ({} for a new action), or None when there is nothing to
    write. A changed deadline re-derives the due date; a changed status, RAG or due date
    needs a reason (reported as the missing progress note when ``reason_is_note``); the
    first due date an action has is kept as its original, so slips show; each write bumps
    the version. An action of an archived plan is never changed; a completed action is 100%
    complete, and 100% on an open one is asked about. Raises ValidationError for any of these
    or a bad field value. Runs no query when the action's priority and strategy are loaded
    (select_related), so it leaves the priority's existence and the reference's uniqueness
    to the caller. ``known_valid`` is for a caller preparing many actions (see
    validate_without_queries).
    """
    action_apply_deadline(old=old, action=action)
    action_apply_completion(old=old, action=action)
    changes = action_changed_fields(old, action)
    if old is not None and not changes:
        return None
    action_refuse_archived(action)
    if old is not None and old.priority_id != action.priority_id:
        action_refuse_archived(old)
    errors = {
        field: [message]
        for field, message in action_reason_errors(changes=changes, reason=reason).items()
    }
    if errors and reason_is_note:
        errors = {"note": [NOTE_NEEDED]}
    if completion_question := action_completion_question(old=old, action=action):
        errors["percent_complete"] = [completion_question]
    try:
        validate_without_queries(action, known_valid=known_valid)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if action.original_due_date is None:
        action.original_due_date = action.due_date
    action.version = old.version + 1 if old else 1
    return changes


def action_apply_deadline(*, old: Action | None, action: Action) -> None:
    """Derive the due date, and whether it is ongoing, from a new or changed deadline as written.

    What was set by hand in the same change wins: a due date keeps the derivation from
    happening at all, an "ongoing" ticked or cleared is kept.
    """
    if old is None and action.due_date is not None:
        return
    if old is not None and (
        old.deadline_text == action.deadline_text or old.due_date != action.due_date
    ):
        return
    deadline = parse_deadline(action.deadline_text)
    action.due_date = deadline.due_date
    if old is None:
        action.is_ongoing = action.is_ongoing or deadline.is_ongoing
    elif old.is_ongoing == action.is_ongoing:
        action.is_ongoing = deadline.is_ongoing


def archived_message(strategy) -> str:
    return f"The plan “{strategy.title}” is archived: its actions cannot be changed."


def action_is_archived(action: Action) -> bool:
    """Whether the action's plan is archived: its actions are a record of what was."""
    return action.priority.strategy.stage == StrategyStage.ARCHIVED


def action_refuse_archived(action: Action) -> None:
    """No path may change an action of an archived plan."""
    if action_is_archived(action):
        raise ValidationError({NON_FIELD_ERRORS: [archived_message(action.priority.strategy)]})


def action_apply_completion(*, old: Action | None, action: Action) -> None:
    """A completed action is 100% complete: marking one completed sets its percent."""
    if action.status == Status.COMPLETED and action.percent_complete < 100:
        action.percent_complete = 100


def action_completion_question(*, old: Action | None, action: Action) -> str:
    """100% on an open action, when either was just set: the owner must say whether it is done."""
    just_set = old is None or (old.status, old.percent_complete) != (
        action.status,
        action.percent_complete,
    )
    if just_set and action.percent_complete == 100 and action.status != Status.COMPLETED:
        return COMPLETE_QUESTION
    return ""


def action_reason_errors(*, changes: dict[str, tuple], reason: str) -> dict[str, str]:
    """The fields whose change needs a reason, when none was given."""
    if reason.strip():
        return {}
    return {field: message for field, message in FIELDS_NEEDING_REASON.items() if field in changes}


def validate_without_queries(
    instance: models.Model, *, known_valid: set[tuple[str, Any]] | None = None
) -> None:
    """full_clean without the checks that each cost a query: foreign keys, uniqueness and
    constraints. For callers that resolved the foreign keys themselves; the database's
    constraints still guard the rest.

    ``known_valid`` holds (field, value) pairs this caller has already found valid, for
    many objects of one model checked in turn (an import's actions share a few statuses,
    deadlines and dates): a field holding such a value is not checked again, and the
    values of a valid object are added. A field's own checks depend on its value alone;
    the object's clean() still runs every time.
    """
    fields, relations = _checked_fields(type(instance))
    if known_valid is None:
        instance.clean_fields(exclude=relations)
        instance.clean()
        return
    known = {
        field.name
        for field in fields
        if (field.name, getattr(instance, field.attname)) in known_valid
    }
    instance.clean_fields(exclude=relations | known)
    instance.clean()
    # As cleaned: the values clean_fields converted (a number from text) are now stored.
    known_valid.update(
        (field.name, getattr(instance, field.attname))
        for field in fields
        if field.name not in known
    )


@functools.cache
def _checked_fields(model: type[models.Model]) -> tuple[list[models.Field], frozenset[str]]:
    """A model's fields that validate_without_queries checks, and the names of the others."""
    concrete = model._meta.concrete_fields
    return (
        [field for field in concrete if not field.is_relation],
        frozenset(field.name for field in concrete if field.is_relation),
    )


def _stored_locked(pk: int) -> Action | None:
    # Unordered and "of self", so neither the default ordering's joins nor the lock reach
    # the priority, strategy and area rows.
    return Action.objects.select_for_update(of=("self",)).order_by().filter(pk=pk).first()


def _stored_locked_like(action: Action) -> Action:
    """The action as stored, locked, with the priority and plan the caller loaded (the
    rules read the plan's stage) unless it has since moved."""
    stored = _stored_locked(action.pk)
    if stored.priority_id == action.priority_id:
        stored.priority = action.priority
    return stored


@transaction.atomic
def action_save(*, action: Action, user, reason: str = "") -> bool:
    """Create or change an action as a plan administrator; returns whether anything was saved."""
    require_plan_editor(user, action)
    old = _stored_locked(action.pk) if action.pk else None
    if action_prepare(old=old, action=action, reason=reason) is None:
        return False
    # full_clean adds the checks that query: the priority exists, the reference is unique.
    save_with_history(action, user=user, reason=reason)
    return True


NOT_YOUR_ACTION = "You can only update actions of the owner roles you hold."


def owner_update_locked(*, action: Action, user, seen_version: int | None) -> Action:
    """The first steps of an owner's update: may they, is the plan open, has anyone saved
    the action since they saw it. Returns it as stored, locked until the transaction ends."""
    if not can_update_action(user, action):
        raise PermissionDenied(NOT_YOUR_ACTION)
    # Before the lock, and for a note alone too: nothing of an archived plan is added to.
    action_refuse_archived(action)
    current = _stored_locked_like(action)
    if seen_version is not None and current.version != seen_version:
        raise ActionChangedMeanwhile(current, changes_since_version(current, seen_version))
    return current


def write_progress(
    *, current: Action, user, status: str, rag: str, percent_complete: int, note: str
) -> Action:
    """Status, RAG, percent and note onto ``current`` (locked, permission checked)."""
    note = note.strip()
    updated = copy.copy(current)
    updated.status, updated.rag, updated.percent_complete = status, rag, percent_complete
    if action_prepare(old=current, action=updated, reason=note, reason_is_note=True) is not None:
        save_with_history(updated, user=user, reason=note)
    if note:
        save_with_history(
            ProgressUpdate(action=updated, author=user, note=note), user=user, reason=note
        )
    return updated


def write_due_date(*, current: Action, user, due_date: datetime.date, reason: str) -> Action:
    """A moved due date onto ``current`` (locked, permission checked), with its reason."""
    updated = copy.copy(current)
    updated.due_date = due_date
    reason = reason.strip()
    if action_prepare(old=current, action=updated, reason=reason) is not None:
        save_with_history(updated, user=user, reason=reason)
    return updated


@transaction.atomic
def action_update_progress(
    *,
    action: Action,
    user,
    status: str,
    rag: str,
    percent_complete: int,
    note: str,
    seen_version: int | None = None,
) -> Action:
    """An owner's update of status, RAG, percent and note, checked against what they saw.

    The note is the change's reason; it is kept as a progress update even when nothing
    else changed.
    """
    current = owner_update_locked(action=action, user=user, seen_version=seen_version)
    return write_progress(
        current=current,
        user=user,
        status=status,
        rag=rag,
        percent_complete=percent_complete,
        note=note,
    )


@transaction.atomic
def action_move_due_date(*, action: Action, user, due_date: datetime.date, reason: str) -> Action:
    """An owner moves their action's due date, saying why: the move is recorded now, with
    the reason, and the original due date is kept so the slip shows."""
    if not can_update_action(user, action):
        raise PermissionDenied(NOT_YOUR_ACTION)
    current = _stored_locked_like(action)
    return write_due_date(current=current, user=user, due_date=due_date, reason=reason)


@transaction.atomic
def action_bulk_update(
    *,
    actions: Iterable[Action],
    user,
    reason: str,
    status: str | None = None,
    rag: str | None = None,
) -> int:
    """Set status and/or RAG on many actions, one history row per changed action."""
    count = 0
    for action in actions:
        if status is not None:
            action.status = status
        if rag is not None:
            action.rag = rag
        count += action_save(action=action, user=user, reason=reason)
    return count


@transaction.atomic
def action_delete(*, action: Action, user, reason: str = "") -> None:
    """Delete an action; its history rows stay, so what it was remains on record."""
    require_plan_editor(user, action)
    delete_with_history(*action.ownerships.all(), action, user=user, reason=reason)


@transaction.atomic
def action_restore(*, action_id: int, user, reason: str) -> Action:
    """Bring back a deleted action from its history, with its owner links, milestones,
    progress notes and the links deleted with it; a plan admin of its area, with a reason."""
    row = deletion_to_restore(Action, action_id, reason=reason)
    priority = Priority.objects.filter(pk=row.priority_id).first()
    if priority is None:
        raise ValidationError("Its priority was deleted too: restore its plan first.")
    require_plan_editor(user, priority)
    action_refuse_archived(row.instance)
    return restore_deleted(row, user=user, reason=reason)


@transaction.atomic
def action_create_follow_up(
    *,
    meeting,
    priority: Priority,
    text: str,
    owner_name: str,
    due_date: datetime.date,
    user,
    reason: str,
) -> Action:
    """A follow-up action a board asked for at a meeting, added to the plan by the reviewer.

    Board members do not edit the plan, but a follow-up they record becomes an action of
    it: this is the one way they add one, to the plan their meeting monitors, by the same
    rules as any new action, and its history names them. ``meeting`` is a governance
    Meeting; only its board's members and plan administrators may (sendplan/roles.py).
    """
    if not can_review_at(user, meeting):
        raise PermissionDenied("Only members of this board and plan administrators can review.")
    if not meeting.monitors(priority):
        raise ValidationError({"priority": "Choose a priority of the plan this meeting monitors."})
    reference, order = next_action_reference(priority)
    action = Action(
        priority=priority,
        reference=reference,
        order=order,
        text=text,
        deadline_text=f"{due_date.day} {due_date:%B %Y}",
        due_date=due_date,
    )
    action_prepare(old=None, action=action, reason=reason)
    save_with_history(action, user=user, reason=reason)
    owner, _ = find_or_create_checked(
        directory=OwnerDirectory(priority.strategy.area), name=owner_name, user=user, reason=reason
    )
    save_with_history(ActionOwner(action=action, owner=owner), user=user, reason=reason)
    return action


def next_action_reference(priority: Priority) -> tuple[str, int]:
    """The next free "N.M" reference of the priority, and the order that puts it last.

    References once used, even by a since-deleted action, stay retired, so a reference
    read in an old board pack never comes to mean another action. Locks the priority so
    two follow-ups saved at once cannot take the same reference.
    """
    Priority.objects.select_for_update().get(pk=priority.pk)
    pattern = re.compile(rf"^{priority.number}\.(\d+)$")
    used = Action.history.filter(priority_id=priority.pk).values_list("reference", flat=True)
    numbers = [int(match[1]) for reference in used if (match := pattern.match(reference))]
    last_order = Action.objects.filter(priority=priority).aggregate(Max("order"))["order__max"]
    return f"{priority.number}.{max(numbers, default=0) + 1}", (last_order or 0) + 1
