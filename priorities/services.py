"""Local areas, who works in them, strategies (plans) and their priorities, each with the
user and reason on its history.

The admin, the importer and the demo save and delete plans and priorities here, so the
plan admin's check, the archived rule and the reason cannot be skipped. An archived plan is
a record of what was: nothing of it changes, its priorities included, but un-archiving it
(its stage, alone). ``user=None`` is an operator's command run on the server.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from sendplan.audit import delete_with_history, save_with_history
from sendplan.deleted import deletion_to_restore, restore_deleted
from sendplan.roles import (
    MANAGING_PEOPLE,
    PLAN_EDITING,
    acts_everywhere,
    can_manage_people,
    can_manage_person,
    in_areas,
    require_in_areas,
    require_plan_editor,
    who_manages,
)

from .choices import StrategyStage
from .models import AreaMembership, LocalArea, Priority, Strategy

# What a plan and a priority say: the fields whose change writes a history row.
STRATEGY_FIELDS = ["area_id", "title", "start_year", "end_year", "stage", "description"]
PRIORITY_FIELDS = ["strategy_id", "number", "title", "description", "order"]
# Keyed apart from the model's fields: the admin shows it at its reason box.
REASON = "reason"
REASON_NEEDED = "Give a reason for this change: the history keeps it."
REASON_FOR_DELETING = "Give a reason for deleting: the history keeps it."


def area_get_or_create(
    *, name: str, user: AbstractUser | None, reason: str
) -> tuple[LocalArea, bool]:
    """The area of this name, created (with the user and reason on its history) if missing.

    A user works only in their own areas, and only the service administrator adds one.
    """
    area = LocalArea.objects.filter(name=name).first()
    if area is not None:
        if user is not None and not in_areas(user, area, PLAN_EDITING):
            raise PermissionDenied(f"You do not work in {name}: you cannot change its plans.")
        return area, False
    if user is not None and not acts_everywhere(user):
        raise PermissionDenied(
            f'There is no local area called "{name}". Only the service administrator adds areas.'
        )
    area = LocalArea(name=name)
    save_with_history(area, user=user, reason=reason)
    return area, True


def strategy_get_or_create(
    *, area: LocalArea, title: str, user: AbstractUser | None, reason: str
) -> tuple[Strategy, bool]:
    """The area's strategy of this title, created (with the user and reason) if missing."""
    strategy = Strategy.objects.filter(area=area, title=title).first()
    if strategy is not None:
        return strategy, False
    strategy = Strategy(area=area, title=title)
    strategy_save(strategy=strategy, user=user, reason=reason)
    return strategy, True


def archived_plan_message(strategy: Strategy) -> str:
    return (
        f"The plan “{strategy.title}” is archived: its details and priorities cannot be "
        "changed. To change it, un-archive it first (give it another stage), with a reason."
    )


def _refusal(message: str, key: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({key: [message]})


def _changes(old: models.Model | None, new: models.Model, fields: list[str]) -> list[str]:
    return [] if old is None else [f for f in fields if getattr(old, f) != getattr(new, f)]


def strategy_check(*, old: Strategy | None, strategy: Strategy, reason: str) -> list[str]:
    """The plan's changed fields, given ``old`` as stored (None if new); ValidationError if
    they may not be written: an archived plan takes only un-archiving, a change a reason."""
    changes = _changes(old, strategy, STRATEGY_FIELDS)
    if old is None or not changes:
        return changes
    if old.stage == StrategyStage.ARCHIVED and changes != ["stage"]:
        raise _refusal(archived_plan_message(old))
    if not reason.strip():
        raise _refusal(REASON_NEEDED, REASON)
    return changes


def priority_check(*, old: Priority | None, priority: Priority, reason: str) -> list[str]:
    """The priority's changed fields, given ``old`` as stored (None if new); ValidationError
    if they may not be written: nothing of an archived plan, nor a change without a reason."""
    changes = _changes(old, priority, PRIORITY_FIELDS)
    if old is not None and not changes:
        return changes
    for strategy in {old.strategy, priority.strategy} if old else {priority.strategy}:
        if strategy.stage == StrategyStage.ARCHIVED:
            raise _refusal(archived_plan_message(strategy))
    if old is not None and not reason.strip():
        raise _refusal(REASON_NEEDED, REASON)
    return changes


def _stored_locked(model: type[models.Model], pk, *related: str):
    """The record as stored, locked until the transaction ends (None if new)."""
    if pk is None:
        return None
    stored = model.objects.select_for_update(of=("self",)).order_by().select_related(*related)
    return stored.filter(pk=pk).first()


@transaction.atomic
def strategy_save(*, strategy: Strategy, user, reason: str = "") -> bool:
    """Create or change a plan, as a plan admin of its area (of both areas, when it moves);
    returns whether anything was written. A change needs a reason; an archived plan takes
    only being un-archived, with no other change at once."""
    require_plan_editor(user, strategy)
    old = _stored_locked(Strategy, strategy.pk)
    changes = strategy_check(old=old, strategy=strategy, reason=reason)
    if old is not None and not changes:
        return False
    save_with_history(strategy, user=user, reason=reason)
    return True


@transaction.atomic
def strategy_delete(*, strategy: Strategy, user, reason: str) -> None:
    """Delete a plan with its priorities, their actions and its measures; every history row
    of the deletion names the user and reason, so the plan can be restored from them. An
    archived plan is un-archived first: it is a record of what was."""
    require_plan_editor(user, strategy)
    old = _stored_locked(Strategy, strategy.pk)
    if old.stage == StrategyStage.ARCHIVED:
        raise _refusal(archived_plan_message(old))
    if not reason.strip():
        raise _refusal(REASON_FOR_DELETING, REASON)
    delete_with_history(strategy, user=user, reason=reason)


@transaction.atomic
def priority_save(*, priority: Priority, user, reason: str = "") -> bool:
    """Create or change a priority, as a plan admin of its plan's area; returns whether
    anything was written. A change needs a reason; an archived plan's priorities, and
    priorities moved to or from one, are refused."""
    require_plan_editor(user, priority)
    old = _stored_locked(Priority, priority.pk, "strategy")
    changes = priority_check(old=old, priority=priority, reason=reason)
    if old is not None and not changes:
        return False
    save_with_history(priority, user=user, reason=reason)
    return True


@transaction.atomic
def priority_delete(*, priority: Priority, user, reason: str) -> None:
    """Delete a priority with its actions, every history row naming the user and reason;
    never one of an archived plan."""
    require_plan_editor(user, priority)
    old = _stored_locked(Priority, priority.pk, "strategy")
    if old.strategy.stage == StrategyStage.ARCHIVED:
        raise _refusal(archived_plan_message(old.strategy))
    if not reason.strip():
        raise _refusal(REASON_FOR_DELETING, REASON)
    delete_with_history(priority, user=user, reason=reason)


@transaction.atomic
def strategy_restore(*, strategy_id: int, user, reason: str) -> Strategy:
    """Bring back a deleted plan from its history, with its priorities, their actions (with
    owners, milestones and notes) and its measures (with their values); a plan admin of
    its area, with a reason."""
    row = deletion_to_restore(Strategy, strategy_id, reason=reason)
    area = LocalArea.objects.filter(pk=row.area_id).first()
    if area is None:
        raise ValidationError("Its local area no longer exists: restore the area's backup.")
    require_plan_editor(user, area)
    return restore_deleted(row, user=user, reason=reason)


def area_membership_save(*, membership: AreaMembership, user, reason: str = "") -> AreaMembership:
    """Give a user a role in a local area: a plan admin gives roles only in their own areas."""
    _require_people_manager(user, membership)
    save_with_history(membership, user=user, reason=reason)
    return membership


def area_membership_delete(*, membership: AreaMembership, user, reason: str = "") -> None:
    """Take a role in a local area from a user; the history keeps that they held it."""
    _require_people_manager(user, membership)
    delete_with_history(membership, user=user, reason=reason)


def _require_people_manager(user, membership: AreaMembership) -> None:
    if user is not None and not can_manage_people(user):
        raise PermissionDenied("Only plan admins give people their roles.")
    require_in_areas(user, membership, perm=MANAGING_PEOPLE)
    if user is not None and not can_manage_person(user, membership.user):
        raise PermissionDenied(who_manages(membership.user))
