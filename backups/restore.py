"""Load an area's backup (backups.export) into an instance that does not hold that area.

In one transaction: every row, history included, as it was written, with its history
dates and users. People are matched by username; one this instance does not know is
created inactive, with no password and no role beyond the area's, for an administrator to
review. Groups (the roles held in the area) are matched by name; a backup naming one this
instance does not have is refused.

Ids are kept where they are free. Where any id of a table (its rows' or its history's)
is taken here, every id of that table moves up past the highest taken, by the same amount,
and every reference to it with it; so a restore into an empty database gives back the very
ids, and a later export the very same files.
"""

import hashlib
import json
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from priorities.models import LocalArea

from .export import CHUNK, FORMAT, column, data_path, is_named
from .scope import Table, area_tables


class RestoreRefused(Exception):
    """The file cannot be restored here; the message says why, and nothing was written."""


def _read(path) -> tuple[dict, dict[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    except zipfile.BadZipFile as error:
        raise RestoreRefused(f"This is not an area backup (a zip file): {error}.") from None
    if "manifest.json" not in files:
        raise RestoreRefused("This zip file has no manifest.json: it is not an area backup.")
    manifest = json.loads(files.pop("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            f"This backup is in format {manifest.get('format')}; this version reads {FORMAT}."
        )
    for name, digest in manifest["sha256"].items():
        if name not in files:
            raise RestoreRefused(f"The backup lacks {name}, which its manifest lists.")
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise RestoreRefused(f"{name} is damaged: its sha256 differs from the manifest's.")
    return manifest, files


class _Ids:
    """How far each model's ids move: 0 if none of the backup's is taken here.

    A record model's ids are its rows' and the copies its history tables keep (a deleted
    action's id lives on in its history); a history table's own ids are its rows'.
    """

    def __init__(self, records: dict[Table, list[dict]]):
        wanted: dict[type[models.Model], set] = {}
        for table, rows in records.items():
            pk = table.model._meta.pk.attname
            wanted.setdefault(table.model, set()).update(row[pk] for row in rows)
            if table.is_history:
                copied = table.history_of._meta.pk.attname
                wanted.setdefault(table.history_of, set()).update(row[copied] for row in rows)
        self.shift = {model: self._shift(model, ids) for model, ids in wanted.items()}

    @staticmethod
    def _places(model: type[models.Model]) -> list[tuple[models.QuerySet, str]]:
        """Where this model's ids are used here: its own table, and its history's copies."""
        pk = model._meta.pk.attname
        places = [(model._base_manager.all(), pk)]
        places += [
            (t.model._base_manager.all(), pk) for t in area_tables() if t.history_of is model
        ]
        return places

    def _shift(self, model: type[models.Model], ids: set) -> int:
        # A primary key that is a foreign key (an area's comparators) moves with its target.
        if model._meta.pk.is_relation:
            return 0
        places = self._places(model)
        ordered = sorted(ids)
        taken = any(
            queryset.filter(**{f"{field}__in": ordered[start : start + CHUNK]}).exists()
            for queryset, field in places
            for start in range(0, len(ordered), CHUNK)
        )
        if not taken:
            return 0
        return max(queryset.aggregate(top=Max(field))["top"] or 0 for queryset, field in places)

    def of(self, model: type[models.Model], value):
        return None if value is None else value + self.shift.get(model, 0)


def _people(manifest_users: list[dict]) -> dict[str, models.Model]:
    """Each username of the backup as a user here; the missing ones created inactive."""
    user_model = get_user_model()
    found = {
        user.username: user
        for user in user_model._base_manager.filter(
            username__in=[person["username"] for person in manifest_users]
        )
    }
    for person in manifest_users:
        if person["username"] not in found:
            user = user_model(**{**person, "is_active": False})
            user.set_unusable_password()
            user.save()
            found[user.username] = user
    return found


def _groups(records: dict[Table, list[dict]]) -> dict[str, Group]:
    """Each group the backup names, as this instance's group of that name. A name it does
    not have is refused: a role's permissions are this instance's to define."""
    wanted = {
        row[column(field)]
        for table, rows in records.items()
        for field in table.model._meta.concrete_fields
        if field.is_relation and field.related_model is Group
        for row in rows
        if row.get(column(field)) is not None
    }
    found = {group.name: group for group in Group.objects.filter(name__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise RestoreRefused(
            f"This backup names roles (groups) this instance does not have: "
            f"{', '.join(missing)}. Roles are matched by name: create them here first."
        )
    return found


def _value(table: Table, field: models.Field, record: dict, ids: _Ids, named: dict):
    key = column(field)
    if key not in record:
        return field.get_default()
    value = record[key]
    if value is None:
        return None
    if is_named(field):
        return named[field.related_model][value].pk
    if field.is_relation:
        return ids.of(field.related_model, value)
    if field.primary_key:
        return ids.of(table.model, value)
    if table.is_history and field.attname == table.history_of._meta.pk.attname:
        return ids.of(table.history_of, value)
    return field.to_python(value)


def _insert(table: Table, records: list[dict], ids: _Ids, named: dict) -> None:
    """Insert the rows as they are: no save(), so no auto_now and no new history row."""
    if not records:
        return
    fields = table.model._meta.concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table.model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [
            field.get_db_prep_save(_value(table, field, record, ids, named), connection)
            for field in fields
        ]
        for record in records
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def _tables(manifest: dict) -> list[tuple[Table, str]]:
    known = {table.label: table for table in area_tables()}
    unknown = sorted(set(manifest["rows"]) - set(known))
    if unknown:
        raise RestoreRefused(
            f"This backup holds tables this version does not have: {', '.join(unknown)}."
        )
    return [
        (table, data_path(table)) for label, table in known.items() if label in manifest["rows"]
    ]


@transaction.atomic
def area_restore(*, path) -> dict:
    """Restore the backup at ``path``; returns its manifest. Refuses (RestoreRefused)
    a damaged file or an area this instance already holds, writing nothing."""
    manifest, files = _read(path)
    name = manifest["area"]
    if LocalArea.objects.filter(name=name).exists():
        raise RestoreRefused(
            f"This instance already holds a local area called {name}: a backup is restored "
            "only where its area is not. Rename that area first to keep both."
        )
    records = {table: json.loads(files[path]) for table, path in _tables(manifest)}
    for table, rows in records.items():
        names = {column(field) for field in table.model._meta.concrete_fields}
        extra = sorted({key for row in rows for key in row} - names)
        if extra:
            raise RestoreRefused(
                f"{table.label} in this backup has columns this version does not: "
                f"{', '.join(extra)}."
            )
    groups = _groups(records)
    ids = _Ids(records)
    named = {get_user_model(): _people(json.loads(files["users.json"])), Group: groups}
    for table, rows in records.items():
        _insert(table, rows, ids, named)
    # PostgreSQL's sequences past the ids just written (SQLite moves its own).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [table.model for table in records]
        ):
            cursor.execute(statement)
    return manifest
