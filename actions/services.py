"""Every write to actions and owners goes through these functions.

The admin, the officer's pages, the importer and the management commands all call them,
so permission checks, validation and the audit history cannot be skipped. ``user=None``
means a management command run by an operator on the server, recorded as such.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from simple_history.utils import get_history_model_for_model

from priorities.models import Priority
from sendplan.audit import delete_with_history, save_with_history
from sendplan.roles import can_edit_plan, can_review, can_update_action

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
# Rows per INSERT or UPDATE of a batch; Django lowers it where a database needs (SQLite
# allows 999 parameters a statement).
BATCH_SIZE = 500


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


def action_prepare(*, old: Action | None, action: Action, reason: str) -> dict[str, tuple] | None:
    """Apply the rules of saving an action to ``action``, given ``old``, as stored (None if new).

    Returns the changes to write ({} for a new action), or None when there is nothing to
    write. A changed deadline re-derives the due date; a changed status, RAG or due date
    needs a reason; the first due date an action has is kept as its original, so slips
    show; each write bumps the version. Raises ValidationError for a missing reason or a
    bad field value. Runs no query, so it leaves the priority's existence and the
    reference's uniqueness to the caller.
    """
    action_apply_deadline(old=old, action=action)
    changes = action_changed_fields(old, action)
    if old is not None and not changes:
        return None
    errors = {
        field: [message]
        for field, message in action_reason_errors(changes=changes, reason=reason).items()
    }
    try:
        _validate_without_queries(action)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if action.original_due_date is None:
        action.original_due_date = action.due_date
    action.version = old.version + 1 if old else 1
    return changes


@transaction.atomic
def action_save(*, action: Action, user, reason: str = "") -> bool:
    """Create or change an action as a plan administrator; returns whether anything was saved."""
    _require_plan_editor(user)
    old = (
        # Unordered and "of self", so neither the default ordering's joins nor the lock
        # reach the priority, strategy and area rows.
        Action.objects.select_for_update(of=("self",)).order_by().filter(pk=action.pk).first()
        if action.pk
        else None
    )
    if action_prepare(old=old, action=action, reason=reason) is None:
        return False
    # full_clean adds the checks that query: the priority exists, the reference is unique.
    save_with_history(action, user=user, reason=reason)
    return True


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
    deleted, saved = ownership_changes(
        action=action, existing=list(action.ownerships.all()), owners=owners
    )
    for ownership in deleted:
        delete_with_history(ownership, user=user, reason=reason)
    for ownership in saved:
        save_with_history(ownership, user=user, reason=reason)
    return bool(deleted or saved)


def ownership_changes(
    *, action: Action, existing: Sequence[ActionOwner], owners: list[Owner]
) -> tuple[list[ActionOwner], list[ActionOwner]]:
    """(ownerships to delete, ownerships to save) so the action's owners are exactly these,
    each once, in this order."""
    wanted = list(dict.fromkeys(owners))
    wanted_ids = {owner.pk for owner in wanted}
    by_owner = {ownership.owner_id: ownership for ownership in existing}
    deleted = [ownership for ownership in existing if ownership.owner_id not in wanted_ids]
    saved = []
    for position, owner in enumerate(wanted):
        ownership = by_owner.get(owner.pk)
        if ownership is None:
            ownership = ActionOwner(action=action, owner=owner, order=position)
        elif ownership.order == position:
            continue
        ownership.order = position
        saved.append(ownership)
    return deleted, saved


class ActionBatch:
    """Many actions and their owners saved at once, by the rules action_save and
    action_set_owners apply to one, in a few bulk queries rather than some 25 per action.

    add() and set_owners() apply the rules to one action at a time without a query,
    raising ValidationError for that action alone; save() then writes every change, each
    history row carrying the user and the reason. Unchanged actions and owners write
    nothing. The caller resolves each action's priority and owners, and reads ``old``
    locked (select_for_update) in the transaction that calls save(), as action_save does.
    """

    def __init__(self, *, user, reason: str):
        _require_plan_editor(user)
        self.user = user
        self.reason = reason
        self._actions_created: list[Action] = []
        self._actions_updated: list[Action] = []
        self._action_fields_updated: set[str] = set()
        self._ownerships_created: list[ActionOwner] = []
        self._ownerships_updated: list[ActionOwner] = []
        self._ownerships_deleted: list[ActionOwner] = []

    def add(self, *, old: Action | None, action: Action) -> dict[str, tuple] | None:
        """The changes to save (as action_prepare), queued; None when there are none."""
        changes = action_prepare(old=old, action=action, reason=self.reason)
        if changes is None:
            return None
        if old is None:
            self._actions_created.append(action)
        else:
            self._actions_updated.append(action)
            self._action_fields_updated.update(
                Action._meta.get_field(field).name for field in changes
            )
        return changes

    def set_owners(
        self, *, action: Action, owners: list[Owner], existing: Sequence[ActionOwner]
    ) -> bool:
        """Queue making the owners exactly these, in this order; returns whether any change.

        ``existing`` is the action's ownerships as stored: none for a new action.
        """
        deleted, saved = ownership_changes(action=action, existing=existing, owners=owners)
        # Not validated: every field is set here, the action and owners by the caller and
        # the order from the list, leaving full_clean nothing to find that the database's
        # constraints would not.
        for ownership in saved:
            if ownership.pk is None:
                self._ownerships_created.append(ownership)
            else:
                self._ownerships_updated.append(ownership)
        self._ownerships_deleted.extend(deleted)
        return bool(deleted or saved)

    @transaction.atomic
    def save(self) -> None:
        """Write what add() and set_owners() queued; call once."""
        user, reason = self.user, self.reason
        _bulk_create_with_history(self._actions_created, Action, user=user, reason=reason)
        now = timezone.now()
        for action in self._actions_updated:
            # bulk_update leaves auto_now fields alone.
            action.updated_at = now
        _bulk_update_with_history(
            self._actions_updated,
            Action,
            [*sorted(self._action_fields_updated), "original_due_date", "version", "updated_at"],
            user=user,
            reason=reason,
        )
        # Removed owners are rare, and simple-history writes a deletion's row only from
        # the post_delete signal, which a bulk delete would send without user or reason.
        for ownership in self._ownerships_deleted:
            delete_with_history(ownership, user=user, reason=reason)
        _bulk_create_with_history(self._ownerships_created, ActionOwner, user=user, reason=reason)
        _bulk_update_with_history(
            self._ownerships_updated, ActionOwner, ["order"], user=user, reason=reason
        )


def _validate_without_queries(instance: models.Model) -> None:
    """full_clean without the checks that each cost a query: foreign keys, uniqueness and
    constraints. For callers that resolved the foreign keys themselves; the database's
    constraints still guard the rest."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance.clean()


def _bulk_create_with_history(objs: list, model: type[models.Model], *, user, reason: str):
    if objs:
        # Both SQLite and PostgreSQL return the new primary keys the history rows need.
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        _bulk_history_create(objs, model, history_type="+", user=user, reason=reason)


def _bulk_update_with_history(
    objs: list, model: type[models.Model], fields: list[str], *, user, reason: str
):
    if objs:
        model._default_manager.bulk_update(objs, fields, batch_size=BATCH_SIZE)
        _bulk_history_create(objs, model, history_type="~", user=user, reason=reason)


def _bulk_history_create(
    objs: list, model: type[models.Model], *, history_type: str, user, reason: str
) -> None:
    """A history row for each object, as a single save writes it, in bulk.

    simple-history's own bulk_history_create (behind bulk_create_with_history) sends no
    pre_create_historical_record, so receivers that stamp rows would miss these: the
    governance app dates the demo's history and credits a review's follow-ups that way.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = get_history_model_for_model(model)
    attnames = [field.attname for field in history_model.tracked_fields]
    reason = reason or None
    written_at = timezone.now()
    rows = []
    for obj in objs:
        row = history_model(
            history_date=written_at,
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **{attname: getattr(obj, attname) for attname in attnames},
        )
        pre_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_date=row.history_date,
            history_user=user,
            history_change_reason=reason,
            history_instance=row,
            using=None,
        )
        rows.append(row)
    history_model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    for obj, row in zip(objs, rows, strict=True):
        post_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_instance=row,
            history_date=row.history_date,
            history_user=row.history_user,
            history_change_reason=row.history_change_reason,
            using=None,
        )


@transaction.atomic
def owner_save(
    *, owner: Owner, user, reason: str = "", directory: OwnerDirectory | None = None
) -> Owner:
    """Create or change an owner; no spelling may already belong to another owner in the area.

    ``directory`` is the area's owners when the caller has them loaded, as an import does.
    """
    _require_plan_editor(user)
    return _owner_write(owner=owner, user=user, reason=reason, directory=directory)


def _owner_write(*, owner: Owner, user, reason: str, directory: OwnerDirectory | None) -> Owner:
    """Check and save an owner for a caller that has checked the user may."""
    if errors := owner_spelling_errors(owner, directory=directory):
        raise ValidationError(errors)
    save_with_history(owner, user=user, reason=reason)
    return owner


def owner_spelling_errors(
    owner: Owner, *, directory: OwnerDirectory | None = None
) -> dict[str, str]:
    """A name or alias that already means another owner in the area would make imports ambiguous."""
    if directory is None:
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
    _require_plan_editor(user)
    return _owner_find_or_create(directory=directory, name=name, user=user, reason=reason)


def _owner_find_or_create(
    *, directory: OwnerDirectory, name: str, user, reason: str
) -> tuple[Owner, bool]:
    owner = directory.find(name)
    if owner is not None:
        return owner, False
    owner = Owner(area=directory.area, name=name)
    if known := known_role_for(name):
        owner.name, owner.organisation, aliases = known
        owner.aliases = "\n".join(aliases)
    _owner_write(owner=owner, user=user, reason=reason, directory=directory)
    directory.add(owner)
    return owner, True


@transaction.atomic
def action_create_follow_up(
    *,
    priority: Priority,
    reference: str,
    order: int,
    text: str,
    owner_name: str,
    due_date: datetime.date,
    user,
    reason: str,
) -> Action:
    """A follow-up action a board asked for in a review, added to the plan by the reviewer.

    Board members do not edit the plan, but a follow-up they record becomes an action of
    it: this is the one way they add one, by the same rules as any new action, and its
    history names them.
    """
    if not (can_review(user) or can_edit_plan(user)):
        raise PermissionDenied("Only board members and plan administrators add follow-ups.")
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
    owner, _ = _owner_find_or_create(
        directory=OwnerDirectory(priority.strategy.area), name=owner_name, user=user, reason=reason
    )
    save_with_history(ActionOwner(action=action, owner=owner), user=user, reason=reason)
    return action


@transaction.atomic
def owner_holder_add(*, owner: Owner, holder, user, reason: str = "") -> OwnerHolder:
    _require_plan_editor(user)
    holding = OwnerHolder.objects.filter(owner=owner, user=holder).first()
    if holding is None:
        holding = OwnerHolder(owner=owner, user=holder)
        save_with_history(holding, user=user, reason=reason)
    return holding
