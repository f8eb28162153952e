"""Every write to measures and their values goes through these functions.

The value page, the admin, the values file importer and the demo all call them, so the
permission checks and the audit history (who, when, the figure replaced, why) cannot be
skipped. ``user=None`` means a management command run by an operator on the server.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Owner
from priorities.models import Priority, Strategy
from sendplan.audit import delete_with_history, save_with_history
from sendplan.deleted import deletion_to_restore, restore_deleted
from sendplan.roles import can_enter_values, can_manage_measures, require_in_areas

from .choices import Series
from .models import AreaComparators, Measure, MeasureAction, MeasurePriority, MeasureValue

# What a value says; a save that changes none of these writes no history.
VALUE_FIELDS = ("period_label", "value", "is_provisional", "note")


def _require_manager(user, *objects) -> None:
    if user is not None and not can_manage_measures(user):
        raise PermissionDenied("Only plan admins define measures and their targets.")
    require_in_areas(user, *objects, perm="measures.change_measure")


@transaction.atomic
def measure_save(*, measure: Measure, user, reason: str = "") -> Measure:
    _require_manager(user, measure, measure.owner)
    save_with_history(measure, user=user, reason=reason)
    return measure


def measures_move_owner(*, source: Owner, target: Owner, user, reason: str, **kwargs) -> None:
    """The measures of an owner merged into another move with it (actions' owner_merging:
    connected in apps.py)."""
    for measure in Measure.objects.filter(owner=source):
        measure.owner = target
        measure_save(measure=measure, user=user, reason=reason)


@transaction.atomic
def measure_set_links(
    *,
    measure: Measure,
    priorities: list[Priority],
    actions: list[Action],
    user,
    reason: str = "",
) -> None:
    """Set the priorities and actions a measure evidences, recording links made and removed."""
    _require_manager(user, measure)
    for model, field, wanted in (
        (MeasurePriority, "priority", priorities),
        (MeasureAction, "action", actions),
    ):
        for item in wanted:
            if getattr(item, "priority", item).strategy_id != measure.strategy_id:
                raise ValidationError(f"{item} is not in the plan of {measure.name}.")
        wanted_ids = {item.pk for item in wanted}
        links = model.objects.filter(measure=measure)
        for link in links:
            if getattr(link, f"{field}_id") not in wanted_ids:
                delete_with_history(link, user=user, reason=reason)
        have = {getattr(link, f"{field}_id") for link in links}
        for item in wanted:
            if item.pk not in have:
                save_with_history(model(measure=measure, **{field: item}), user=user, reason=reason)


@transaction.atomic
def value_record(
    *,
    measure: Measure,
    period_end: datetime.date,
    period_label: str,
    value: Decimal,
    user,
    series: str = Series.ACTUAL,
    comparator: str = "",
    is_provisional: bool = False,
    note: str = "",
    reason: str = "",
    check_permission: bool = True,
) -> tuple[MeasureValue, bool]:
    """Enter or correct one figure; returns it and whether anything was written.

    Holders of the measure's owner role enter its actual values; targets and comparators
    are plan admins'. A correction needs a note saying why, which goes on the history row
    beside the figure it replaced (``reason``, or else the note). ``check_permission=False``
    is for the importer, which checks once for the whole file.
    """
    if check_permission and user is not None:
        allowed = (
            can_enter_values(user, measure)
            if series == Series.ACTUAL
            else can_manage_measures(user, measure)
        )
        if not allowed:
            raise PermissionDenied("You cannot enter values for this measure.")
    existing = (
        MeasureValue.objects.select_for_update()
        .filter(measure=measure, series=series, comparator=comparator, period_end=period_end)
        .first()
    )
    record = existing or MeasureValue(
        measure=measure, series=series, comparator=comparator, period_end=period_end
    )
    new = {
        "period_label": period_label,
        "value": Decimal(value),
        "is_provisional": is_provisional,
        "note": note,
    }
    if existing is not None:
        if all(getattr(existing, name) == new[name] for name in VALUE_FIELDS):
            return existing, False
        if existing.value != new["value"] and not (reason or note).strip():
            raise ValidationError({"note": "Say why the value is corrected."})
    for name, field_value in new.items():
        setattr(record, name, field_value)
    record.entered_by = user
    record.entered_at = timezone.now()
    reason = reason or note or ("Value entered" if existing is None else "Value changed")
    save_with_history(record, user=user, reason=reason)
    return record, True


@transaction.atomic
def value_delete(*, value: MeasureValue, user, reason: str) -> None:
    _require_manager(user, value)
    delete_with_history(value, user=user, reason=reason)


@transaction.atomic
def measure_restore(*, measure_id: int, user, reason: str) -> Measure:
    """Bring back a deleted measure from its history, with its values, targets and links to
    priorities and actions; a plan admin of its area, with a reason."""
    row = deletion_to_restore(Measure, measure_id, reason=reason)
    strategy = Strategy.objects.filter(pk=row.strategy_id).first()
    if strategy is None:
        raise ValidationError("Its plan was deleted too: restore the plan, and it comes back.")
    _require_manager(user, strategy)
    return restore_deleted(row, user=user, reason=reason)


@transaction.atomic
def comparators_save(*, comparators: AreaComparators, user, reason: str = "") -> AreaComparators:
    _require_manager(user, comparators)
    save_with_history(comparators, user=user, reason=reason)
    return comparators
