"""Bringing back a deleted record from its history, with the records deleted with it.

simple-history writes a "-" row, holding the record's last values, when a record is
deleted, and another for each record deleted with it (an action's owner links, milestones
and notes; a plan's priorities, their actions, its measures and their values). A restore
saves each again from that row, with its original id where that is free, and writes a "+"
history row naming who restored it and why. The records deleted with it are those, pointing
to it by a foreign key that deletes them with it, whose own deletion is recorded at the same
moment (sendplan.audit stamps one moment on every row of a deletion); for a deletion made
before that stamp, within a few seconds before it.

The services of the owning apps check who may restore what, then call ``restore_deleted``.
"""

import datetime
from graphlib import TopologicalSorter

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from .audit import save_with_history

# How long before a record's deletion a deletion counts as part of it, where the rows of a
# deletion were not stamped with one moment: a cascade takes milliseconds.
SAME_DELETION = datetime.timedelta(seconds=5)


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def deletion_row(model: type[models.Model], pk):
    """The history row recording the record's deletion, or None if it is not deleted."""
    rows = history_of(model).objects.filter(**{model._meta.pk.attname: pk})
    latest = rows.order_by("-history_date", "-history_id").first()
    if latest is None or latest.history_type != "-":
        return None
    if model._base_manager.filter(pk=pk).exists():
        return None
    return latest


def deletion_to_restore(model: type[models.Model], pk, *, reason: str):
    """The deletion row to restore the record from; refuses a missing reason or a record
    that is not deleted."""
    name = model._meta.verbose_name
    if not reason.strip():
        raise ValidationError(f"Say why the {name} is restored: the history records it.")
    row = deletion_row(model, pk)
    if row is None:
        raise ValidationError(f"There is no deleted {name} {pk} to restore.")
    return row


def deleted_records(model: type[models.Model]) -> models.QuerySet:
    """The history rows of the model's records that are deleted now, newest first."""
    history = history_of(model)
    pk = model._meta.pk.attname
    newest = history.objects.filter(**{pk: models.OuterRef(pk)}).order_by(
        "-history_date", "-history_id"
    )
    return (
        history.objects.filter(history_type="-")
        .filter(history_id=models.Subquery(newest.values("history_id")[:1]))
        .exclude(**{f"{pk}__in": model._base_manager.values(pk)})
        .order_by("-history_date")
    )


def _dependants(model: type[models.Model]) -> list[models.ForeignKey]:
    """The foreign keys, of audited models, that delete their record with this one's."""
    return [
        relation.field
        for relation in model._meta.related_objects
        if not relation.many_to_many
        and relation.on_delete is models.CASCADE
        and history_of(relation.related_model) is not None
    ]


def _deleted_with(row) -> list:
    """The deletion rows of the records deleted with the record of this deletion row."""
    found = []
    model = row.instance_type
    for field in _dependants(model):
        child = field.model
        pk = child._meta.pk.attname
        candidates = history_of(child).objects.filter(
            **{field.attname: row.instance.pk},
            history_type="-",
            history_date__gte=row.history_date - SAME_DELETION,
            history_date__lte=row.history_date,
        )
        for candidate in candidates:
            if deletion_row(child, getattr(candidate, pk)) == candidate:
                found.append(candidate)
    return found


def _in_order(rows: list) -> list:
    """Rows of records pointed to before the rows of records pointing to them."""
    models_ = {row.instance_type for row in rows}
    graph = {
        model: {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation
            and field.related_model in models_
            and field.related_model is not model
        }
        for model in models_
    }
    rank = {
        model: position for position, model in enumerate(TopologicalSorter(graph).static_order())
    }
    return sorted(rows, key=lambda row: rank[row.instance_type])


def restore_deleted(row, *, user, reason: str) -> models.Model:
    """Save the record of deletion row ``row`` again, and the records deleted with it."""
    rows, seen, queue = [], set(), [row]
    while queue:
        current = queue.pop(0)
        key = (current.instance_type, current.instance.pk)
        if key not in seen:
            seen.add(key)
            rows.append(current)
            queue += _deleted_with(current)
    moved: dict[tuple, object] = {}
    restored = {}
    for current in _in_order(rows):
        record = current.instance
        model = type(record)
        old_pk = record.pk
        for field in model._meta.concrete_fields:
            target = (field.related_model, getattr(record, field.attname))
            if field.is_relation and target in moved:
                setattr(record, field.attname, moved[target])
        if not model._meta.pk.is_relation and model._base_manager.filter(pk=old_pk).exists():
            record.pk = None
        try:
            save_with_history(record, user=user, reason=reason)
        except ValidationError as error:
            raise ValidationError(
                f"{model._meta.verbose_name.capitalize()} “{record}” cannot be restored: "
                + " ".join(error.messages)
            ) from None
        if record.pk != old_pk:
            moved[(model, old_pk)] = record.pk
        restored[(model, old_pk)] = record
    return restored[(row.instance_type, row.instance.pk)]
