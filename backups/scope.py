"""Which tables hold a local area's data, found from the models themselves.

A model belongs to an area when a chain of foreign keys leads from it to ``LocalArea``
(never through a user: people are shared by every area). Its way there is the first step
of its ``area_path`` (sendplan/roles.py), or else its first foreign key to a model that
belongs to an area (Django's own tables behind a many-to-many field). Each such model's
simple-history tables come with it, so a new model on any app is backed up without being
named here.
"""

import dataclasses
import functools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from priorities.models import LocalArea


@dataclasses.dataclass(frozen=True)
class Table:
    """One model of an area's backup and how its rows are found."""

    model: type[models.Model]
    # A record: its foreign key on the way to the area (None for LocalArea itself).
    parent: models.ForeignKey | None = None
    # A history table: the model it keeps the history of.
    history_of: type[models.Model] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def is_history(self) -> bool:
        return self.history_of is not None

    @property
    def is_m2m_history(self) -> bool:
        """simple-history's table of a many-to-many field's links at each history row."""
        return self.is_history and not _has_field(self.model, "history_type")


def is_history_model(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def _relations(model: type[models.Model]) -> list[models.ForeignKey]:
    user = get_user_model()
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not user
    ]


def _parent(model: type[models.Model], known: dict) -> models.ForeignKey | None:
    path = getattr(model, "area_path", None)
    if path:
        field = model._meta.get_field(path.split("__")[0])
        return field if field.related_model in known else None
    return next((f for f in _relations(model) if f.related_model in known), None)


@functools.cache
def area_tables() -> tuple[Table, ...]:
    """Every table of an area, each after the tables its rows are found through."""
    everything = apps.get_models(include_auto_created=True)
    records = [model for model in everything if not is_history_model(model)]
    known = {LocalArea: Table(LocalArea)}
    found = True
    while found:
        found = False
        for model in records:
            if model not in known and (parent := _parent(model, known)):
                known[model] = Table(model, parent=parent)
                found = True
    tables = list(known.values())
    histories = [m for m in everything if is_history_model(m) and m.instance_type in known]
    # Each record's history before the tables of its many-to-many links' history.
    histories.sort(key=lambda model: not _has_field(model, "history_type"))
    tables += [Table(model, history_of=model.instance_type) for model in histories]
    return tuple(tables)


def history_tables_of(model: type[models.Model]) -> list[Table]:
    return [table for table in area_tables() if table.history_of is model]
