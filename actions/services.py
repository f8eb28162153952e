"""Every write to actions and owners goes through these functions.

The admin, the officer's pages, the importer and the management commands all call them,
so permission checks, validation and the audit history cannot be skipped. ``user=None``
means a management command run by an operator on the server, recorded as such.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sendplan.audit import delete_with_history, save_with_history
from sendplan.roles import can_edit_plan, can_update_action

from .choices import Rag, Status
from .deadlines import parse_deadline
from .models import Action, ActionOwner, Owner, OwnerHolder, ProgressUpdate
from .owners import OwnerDirectory, known_role_for

# Fields whose change a board must be able to explain: a reason is required.
FIELDS_NEEDING_REASON = {
    "status": "Give a reason for changing the status.",
    "rag": "Give a reason for changing the RAG rating.",
    "due_date": "Give a reason for moving the due date.",
}
TRACKED_FIELDS = [
    "priority_id",
    "reference",
    "order",
    "text",
    "deadline_text",
    "due_date",
    "is_ongoing",
    "status",
    "rag",
    "percent_complete",
]


class ActionChangedMeanwhile(Exception):
    """Someone else saved the action after this form was opened."""

    def __init__(self, action: Action, changes: dict[str, tuple]):
        self.action = action
        self.changes = changes
        super().__init__(f"Action {action.reference} was changed by someone else meanwhile.")


def _require_plan_editor(user) -> None:
    if user is not None and not can_edit_plan(user):
        raise PermissionDenied("Only plan administrators can change the plan.")


def action_changed_fields(old: Action | None, new: Action) -> dict[str, tuple]:
    """{field: (old value, new value)} for the fields that differ."""
    if old is None:
        return {}
    return {
        field: (getattr(old, field), getattr(new, field))
        for field in TRACKED_FIELDS
        if getattr(old, field) != getattr(new, field)
    }


@transaction.atomic
def action_save(*, action: Action, user, reason: str = "") -> bool:
    """Create or change an action as a plan administrator; returns whether anything was saved.

    A changed deadline as written re-derives the due date unless the due date was set too;
    the first due date an action has is kept as its original, so slips show.
    """
    _require_plan_editor(user)
    old = Action.objects.select_for_update().filter(pk=action.pk).first() if action.pk else None
    action_apply_deadline(old=old, action=action)
    changes = action_changed_fields(old, action)
    if old is not None and not changes:
        return False
    if errors := action_reason_errors(changes=changes, reason=reason):
        raise ValidationError(errors)
    if action.original_due_date is None:
        action.original_due_date = action.due_date
    action.version = old.version + 1 if old else 1
    save_with_history(action, user=user, reason=reason)
    return True


def action_apply_deadline(*, old: Action | None, action: Action) -> None:
    """Derive the due date from the deadline as written, unless the due date was set by hand."""
    if old is None and action.due_date is not None:
        return
    if old is not None and (
        old.deadline_text == action.deadline_text or old.due_date != action.due_date
    ):
        return
    deadline = parse_deadline(action.deadline_text)
    action.due_date = deadline.due_date
    action.is_ongoing = action.is_ongoing or deadline.is_ongoing


def action_reason_errors(*, changes: dict[str, tuple], reason: str) -> dict[str, str]:
    """The fields whose change needs a reason, when none was given."""
    if reason.strip():
        return {}
    return {field: message for field, message in FIELDS_NEEDING_REASON.items() if field in changes}


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
    """An owner's update of status, RAG, percent and note, checked against what they saw."""
    if not can_update_action(user, action):
        raise PermissionDenied("You can only update actions of the owner roles you hold.")
    current = Action.objects.select_for_update().get(pk=action.pk)
    if seen_version is not None and current.version != seen_version:
        raise ActionChangedMeanwhile(current, _changes_since(current, seen_version))
    errors = {}
    if status not in Status.values:
        errors["status"] = f'"{status}" is not a status. Choose one of the statuses listed.'
    if rag not in Rag.values:
        errors["rag"] = f'"{rag}" is not a RAG rating. Choose red, amber, green or not rated.'
    if not isinstance(percent_complete, int) or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percent complete must be a whole number from 0 to 100."
    note = note.strip()
    if not errors and (status != current.status or rag != current.rag) and not note:
        errors["note"] = "Add a note saying why the status or RAG rating changed."
    if errors:
        raise ValidationError(errors)
    changed = (current.status, current.rag, current.percent_complete) != (
        status,
        rag,
        percent_complete,
    )
    if changed:
        current.status, current.rag, current.percent_complete = status, rag, percent_complete
        current.version += 1
        save_with_history(current, user=user, reason=note)
    if note:
        save_with_history(
            ProgressUpdate(action=current, author=user, note=note), user=user, reason=note
        )
    return current


def _changes_since(current: Action, seen_version: int) -> dict[str, tuple]:
    """What the other saves changed, from the history row of the version the user saw."""
    seen = current.history.filter(version=seen_version).order_by("-history_id").first()
    if seen is None:
        return {}
    return {
        field: (getattr(seen, field), getattr(current, field))
        for field in ("status", "rag", "percent_complete", "due_date", "text")
        if getattr(seen, field) != getattr(current, field)
    }


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
    _require_plan_editor(user)
    for ownership in action.ownerships.all():
        delete_with_history(ownership, user=user, reason=reason)
    delete_with_history(action, user=user, reason=reason)


@transaction.atomic
def action_set_owners(*, action: Action, owners: list[Owner], user, reason: str = "") -> bool:
    """Make the action's owners exactly these, in this order; returns whether any changed."""
    _require_plan_editor(user)
    existing = {ownership.owner_id: ownership for ownership in action.ownerships.all()}
    wanted = list(dict.fromkeys(owners))
    changed = False
    for ownership in existing.values():
        if ownership.owner not in wanted:
            delete_with_history(ownership, user=user, reason=reason)
            changed = True
    for position, owner in enumerate(wanted):
        ownership = existing.get(owner.pk)
        if ownership is None:
            ownership = ActionOwner(action=action, owner=owner, order=position)
        elif ownership.order == position:
            continue
        ownership.order = position
        save_with_history(ownership, user=user, reason=reason)
        changed = True
    return changed


@transaction.atomic
def owner_save(*, owner: Owner, user, reason: str = "") -> Owner:
    """Create or change an owner; no spelling may already belong to another owner in the area."""
    _require_plan_editor(user)
    if errors := owner_spelling_errors(owner):
        raise ValidationError(errors)
    save_with_history(owner, user=user, reason=reason)
    return owner


def owner_spelling_errors(owner: Owner) -> dict[str, str]:
    """A name or alias that already means another owner in the area would make imports ambiguous."""
    directory = OwnerDirectory(owner.area)
    for spelling in owner.spellings():
        other = directory.find(spelling)
        if other is not None and other.pk != owner.pk:
            return {"aliases": f'"{spelling}" already names the owner "{other.name}".'}
    return {}


def owner_find_or_create(
    *, directory: OwnerDirectory, name: str, user, reason: str
) -> tuple[Owner, bool]:
    """The owner a "By whom" name means, creating it (as the known role, if it is one)."""
    owner = directory.find(name)
    if owner is not None:
        return owner, False
    owner = Owner(area=directory.area, name=name)
    if known := known_role_for(name):
        owner.name, owner.organisation, aliases = known
        owner.aliases = "\n".join(aliases)
    owner_save(owner=owner, user=user, reason=reason)
    directory.add(owner)
    return owner, True


@transaction.atomic
def owner_holder_add(*, owner: Owner, holder, user, reason: str = "") -> OwnerHolder:
    _require_plan_editor(user)
    holding = OwnerHolder.objects.filter(owner=owner, user=holder).first()
    if holding is None:
        holding = OwnerHolder(owner=owner, user=holder)
        save_with_history(holding, user=user, reason=reason)
    return holding
