"""Owners, the names they answer to, who holds them, and which owners an action has."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from sendplan.audit import delete_with_history, save_with_history
from sendplan.roles import in_areas, require_plan_editor

from ..models import Action, ActionOwner, Owner, OwnerHolder, normalise_name
from ..owner_names import OwnerDirectory, known_role_for
from ..signals import owner_merging


@transaction.atomic
def owner_save(
    *, owner: Owner, user, reason: str = "", directory: OwnerDirectory | None = None
) -> Owner:
    """Create or change an owner; no spelling may already belong to another owner in the area.

    ``directory`` is the area's owners when the caller has them loaded, as an import does.
    """
    require_plan_editor(user, owner)
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
    owner = directory.find(name)
    if owner is not None:
        # Only finding: no query, and nothing a role or area check would guard.
        return owner, False
    require_plan_editor(user, directory.area)
    return find_or_create_checked(directory=directory, name=name, user=user, reason=reason)


def find_or_create_checked(
    *, directory: OwnerDirectory, name: str, user, reason: str
) -> tuple[Owner, bool]:
    """owner_find_or_create for a service of this package that has checked the user may."""
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
def owner_holder_add(*, owner: Owner, holder, user, reason: str = "") -> OwnerHolder:
    require_plan_editor(user, owner)
    if not in_areas(holder, owner):
        raise ValidationError(
            {"user": f"{holder} does not work in {owner.area}: give them the area first."}
        )
    holding = OwnerHolder.objects.filter(owner=owner, user=holder).first()
    if holding is None:
        holding = OwnerHolder(owner=owner, user=holder)
        save_with_history(holding, user=user, reason=reason)
    return holding


@transaction.atomic
def action_set_owners(*, action: Action, owners: list[Owner], user, reason: str = "") -> bool:
    """Make the action's owners exactly these, in this order; returns whether any changed."""
    require_plan_editor(user, action, *owners)
    deleted, saved = ownership_changes(
        action=action, existing=list(action.ownerships.all()), owners=owners
    )
    delete_with_history(*deleted, user=user, reason=reason)
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


def ownerships_match(existing: Sequence[tuple[int, int]], owners: list[Owner]) -> bool:
    """Whether ownership_changes would find nothing to change: ``existing`` is the stored
    (owner id, order) of each ownership, in order. Compares ids alone, so that a caller
    that finds them equal builds no ActionOwner."""
    wanted = dict.fromkeys(owners)
    return list(existing) == [(owner.pk, order) for order, owner in enumerate(wanted)]


@transaction.atomic
def owner_merge(*, source: Owner, target: Owner, user, reason: str) -> Owner:
    """Fold ``source`` into ``target``: two spellings of one role become one owner.

    The source's actions and holders move to the target (an action or holder both had is
    kept once), and so does whatever apps above this one keep of it (``owner_merging``:
    measures); its name and aliases become the target's aliases, so imports still find
    it, and the source is deleted. Every row moved, dropped or changed has a history row
    with the user and the reason.
    """
    require_plan_editor(user, source, target)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for merging these owners."})
    if source.pk == target.pk:
        raise ValidationError({"target": "Choose another owner to merge into."})
    if source.area_id != target.area_id:
        raise ValidationError({"target": "Choose an owner of the same local area."})
    credit = {"user": user, "reason": reason}
    owned = set(target.ownerships.values_list("action_id", flat=True))
    for ownership in source.ownerships.all():
        if ownership.action_id in owned:
            delete_with_history(ownership, **credit)
        else:
            ownership.owner = target
            save_with_history(ownership, **credit)
    held = set(target.holdings.values_list("user_id", flat=True))
    for holding in source.holdings.all():
        if holding.user_id in held:
            delete_with_history(holding, **credit)
        else:
            holding.owner = target
            save_with_history(holding, **credit)
    owner_merging.send(Owner, source=source, target=target, **credit)
    known = {normalise_name(spelling) for spelling in target.spellings()}
    aliases = target.alias_list
    for spelling in source.spellings():
        if normalise_name(spelling) not in known:
            known.add(normalise_name(spelling))
            aliases.append(spelling)
    delete_with_history(source, **credit)
    target.aliases = "\n".join(aliases)
    return _owner_write(owner=target, user=user, reason=reason, directory=None)
