"""Local areas, who works in them, and strategies, each with the user and reason on its
history."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

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

from .models import AreaMembership, LocalArea, Strategy


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
    save_with_history(strategy, user=user, reason=reason)
    return strategy, True


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
