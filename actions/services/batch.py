"""Many actions and their owners saved at once, as the plan file's import does."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from sendplan.audit import bulk_create_with_history, bulk_update_with_history, delete_with_history
from sendplan.roles import require_plan_editor

from ..models import Action, ActionOwner, Owner
from .actions import action_prepare
from .ownership import ownership_changes


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
        require_plan_editor(user)
        self.user = user
        self.reason = reason
        self._actions_created: list[Action] = []
        self._actions_updated: list[Action] = []
        self._action_fields_updated: set[str] = set()
        self._ownerships_created: list[ActionOwner] = []
        # Ownerships of actions with none yet, which may themselves be new: the action is
        # set once it has been saved.
        self._ownerships_new: list[tuple[Action, ActionOwner]] = []
        self._ownerships_updated: list[ActionOwner] = []
        self._ownerships_deleted: list[ActionOwner] = []
        # Field values already found valid in this batch, checked once (action_prepare).
        self._known_valid: set[tuple[str, object]] = set()

    def add(self, *, old: Action | None, action: Action) -> dict[str, tuple] | None:
        """The changes to save (as action_prepare), queued; None when there are none."""
        changes = action_prepare(
            old=old, action=action, reason=self.reason, known_valid=self._known_valid
        )
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
        if not existing:
            # Each owner once, in order: the whole rule for an action with none yet, kept
            # off the related-object setters, which cost more than the rest of the row.
            # By keyword, so a field added to ActionOwner cannot shift the values.
            for position, owner in enumerate(dict.fromkeys(owners)):
                ownership = ActionOwner(owner_id=owner.pk, order=position)
                self._ownerships_new.append((action, ownership))
            return bool(owners)
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
        credit = {"user": self.user, "reason": self.reason}
        bulk_create_with_history(self._actions_created, Action, **credit)
        now = timezone.now()
        for action in self._actions_updated:
            # bulk_update leaves auto_now fields alone.
            action.updated_at = now
        bulk_update_with_history(
            self._actions_updated,
            Action,
            [*sorted(self._action_fields_updated), "original_due_date", "version", "updated_at"],
            **credit,
        )
        # Removed owners are rare, and simple-history writes a deletion's row only from
        # the post_delete signal, which a bulk delete would send without user or reason.
        delete_with_history(*self._ownerships_deleted, **credit)
        for action, ownership in self._ownerships_new:
            ownership.action_id = action.pk
        self._ownerships_created.extend(ownership for _, ownership in self._ownerships_new)
        bulk_create_with_history(self._ownerships_created, ActionOwner, **credit)
        bulk_update_with_history(self._ownerships_updated, ActionOwner, ["order"], **credit)
