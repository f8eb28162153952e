"""Write everything a local area holds, its history included, to one zip file.

The zip holds, for each table of the area (backups.scope): ``data/<table>.json`` for
restoring and ``csv/<table>.csv`` for people; ``users.json`` and ``users.csv`` (the people
its rows name); and ``manifest.json`` with the format, the app version, the area, the time,
the rows per table and the sha256 of every other file. Rows name users by username and
groups (the roles held in the area) by name, never by id: those ids differ between
instances. Every other column is written as stored, ids included.
"""

import base64
import csv
import datetime
import decimal
import hashlib
import io
import json
import tomllib
import uuid
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from priorities.models import LocalArea

from .scope import Table, area_tables

FORMAT = 1
# Ids per query: SQLite allows 999 parameters a statement.
CHUNK = 500
USER_FIELDS = ("username", "first_name", "last_name", "email")


def app_version() -> str:
    """The version in pyproject.toml: sendplan runs from its checkout, not installed."""
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def data_path(table: Table) -> str:
    return f"data/{table.label}.json"


def csv_path(table: Table) -> str:
    return f"csv/{table.label}.csv"


def is_user(field: models.Field) -> bool:
    return field.is_relation and field.related_model is get_user_model()


def named_by() -> dict[type[models.Model], str]:
    """The models whose ids differ between instances, each with the field rows name it by:
    people by username, groups (the roles held in an area) by name."""
    return {get_user_model(): "username", Group: "name"}


def is_named(field: models.Field) -> bool:
    return field.is_relation and field.related_model in named_by()


def column(field: models.Field) -> str:
    """A user (by username) or a group (by name) is written under the field's name;
    anything else as stored."""
    return field.name if is_named(field) else field.attname


def plain(value):
    """A stored value as JSON holds it, losslessly."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        # As Django's serializers write a BinaryField, whose to_python reads it back.
        return base64.b64encode(value).decode("ascii")
    return value


def _chunks(ids: Iterable) -> Iterable[list]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _ids(queryset: models.QuerySet, field: str, within: set, value: str) -> set:
    """The ``value`` column of the rows whose ``field`` is one of ``within``."""
    found = set()
    for chunk in _chunks(within):
        found.update(queryset.filter(**{f"{field}__in": chunk}).values_list(value, flat=True))
    return found


def _rows(model: type[models.Model], field: str, within: set) -> list[tuple]:
    attnames = [f.attname for f in model._meta.concrete_fields]
    rows = []
    for chunk in _chunks(within):
        queryset = model._base_manager.filter(**{f"{field}__in": chunk}).values_list(*attnames)
        rows += queryset.order_by(model._meta.pk.attname)
    return sorted(rows, key=lambda row: row[attnames.index(model._meta.pk.attname)])


def area_rows(area: LocalArea) -> dict[Table, list[tuple]]:
    """Each table's rows of the area, the rows of records since deleted included."""
    # The ids each record model ever had in the area: its rows and its history's.
    ids: dict[type[models.Model], set] = {LocalArea: {area.pk}}
    history_ids: dict[type[models.Model], set] = {}
    found: dict[Table, list[tuple]] = {}
    for table in area_tables():
        model = table.model
        if table.is_m2m_history:
            parent = model._meta.get_field("history").related_model
            found[table] = _rows(model, "history_id", history_ids[parent])
            continue
        if table.is_history:
            found[table] = _rows(model, table.history_of._meta.pk.attname, ids[table.history_of])
            position = [f.attname for f in model._meta.concrete_fields].index("history_id")
            history_ids[model] = {row[position] for row in found[table]}
            continue
        if table.parent is not None:
            link, pk = table.parent.attname, model._meta.pk.attname
            within = ids[table.parent.related_model]
            ids[model] = _ids(model._base_manager.all(), link, within, pk)
            for history in area_tables():
                if history.history_of is model and not history.is_m2m_history:
                    ids[model] |= _ids(history.model.objects.all(), link, within, pk)
        found[table] = _rows(model, model._meta.pk.attname, ids[model])
    return found


def _names(found: dict[Table, list[tuple]]) -> dict[type[models.Model], dict[int, str]]:
    """For each named model, the name of each id the rows hold."""
    ids: dict[type[models.Model], set] = {model: set() for model in named_by()}
    for table, rows in found.items():
        for position, field in enumerate(table.model._meta.concrete_fields):
            if is_named(field):
                ids[field.related_model].update(
                    row[position] for row in rows if row[position] is not None
                )
    return {
        model: dict(model._base_manager.filter(pk__in=ids[model]).values_list("pk", name))
        for model, name in named_by().items()
    }


def _records(table: Table, rows: list[tuple], names: dict) -> list[dict]:
    fields = table.model._meta.concrete_fields
    return [
        {
            column(field): names[field.related_model].get(value)
            if is_named(field)
            else plain(value)
            for field, value in zip(fields, row, strict=True)
        }
        for row in rows
    ]


def _csv(records: list[dict], columns: list[str]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: "" if value is None else value for key, value in record.items()})
    # With a byte order mark, so Excel reads the UTF-8.
    return text.getvalue().encode("utf-8-sig")


def _json(value) -> bytes:
    return json.dumps(value, indent=1, ensure_ascii=False).encode()


def area_export(*, area: LocalArea, to) -> dict:
    """Write the area's backup to ``to`` (a path or a binary file); returns its manifest."""
    found = area_rows(area)
    names = _names(found)
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for table, rows in found.items():
        records = _records(table, rows, names)
        columns = [column(field) for field in table.model._meta.concrete_fields]
        files[data_path(table)] = _json(records)
        files[csv_path(table)] = _csv(records, columns)
        counts[table.label] = len(records)
    user_model = get_user_model()
    people = list(
        user_model._base_manager.filter(username__in=names[user_model].values())
        .order_by("username")
        .values(*USER_FIELDS)
    )
    files["users.json"] = _json(people)
    files["users.csv"] = _csv(people, list(USER_FIELDS))
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "area": area.name,
        "created_at": timezone.now().isoformat(),
        "rows": counts,
        "users": len(people),
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    with zipfile.ZipFile(to, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return manifest
