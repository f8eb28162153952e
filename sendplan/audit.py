"""Writing the audit history: the one module every write's history goes through.

Each history row carries the user and the reason, set before the write rather than after.
One object is saved or deleted with simple-history's own signals; many at once with
bulk_create_with_history and bulk_update_with_history, which write the same rows in bulk.
history_stamped dates the rows written inside a block, for a history that lies in the past.

Bulk rows are written as plain values rather than through a model instance and Django's
insert compiler per row, which cost most of a large import: PostgreSQL takes them by COPY,
other databases by multi-row INSERT. When a receiver other than the stamp listens for
simple-history's signals, history rows are built as instances and sent to it, as before.
"""

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from simple_history.utils import get_history_model_for_model

# Rows per INSERT or UPDATE of a batch; Django lowers it where a database needs (SQLite
# allows 999 parameters a statement).
BATCH_SIZE = 500


def _credit(instance: models.Model, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason or None


def save_with_history(instance: models.Model, *, user, reason: str = "") -> None:
    """Validate and save, recording who made the change and why."""
    _credit(instance, user=user, reason=reason)
    instance.full_clean()
    instance.save()


def delete_with_history(*instances: models.Model, user, reason: str = "") -> None:
    """Delete each in turn (dependants before what they depend on), each with its history row.

    Every row of the deletion, those of the records deleted with them included, bears one
    moment: by it a restore knows what was deleted together (sendplan.deleted); and names
    the user and reason, as the records deleted with them are credited too (a plan's
    priorities and their actions).
    """
    moment = _history_date.get() or timezone.now()
    with history_stamped(date=moment):
        for instance in instances:
            # What Model.delete() does, with each record it collects credited before the
            # deletion writes its history row.
            using = router.db_for_write(type(instance), instance=instance)
            collector = Collector(using=using, origin=instance)
            collector.collect([instance])
            for _, collected in collector.instances_with_model():
                _credit(collected, user=user, reason=reason)
            collector.delete()


def bulk_create_with_history(
    objs: list, model: type[models.Model], *, user, reason: str = ""
) -> None:
    """Insert new objects in a few queries, with the history row a save would write for each.

    The caller has validated them: full_clean costs queries per object.
    """
    if objs:
        _insert_objects(objs, model)
        _bulk_history_create(objs, model, history_type="+", user=user, reason=reason)


def bulk_update_with_history(
    objs: list, model: type[models.Model], fields: list[str], *, user, reason: str = ""
) -> None:
    """Update ``fields`` of stored objects in a few queries, with a history row for each."""
    if objs:
        model._default_manager.bulk_update(objs, fields, batch_size=BATCH_SIZE)
        _bulk_history_create(objs, model, history_type="~", user=user, reason=reason)


def _bulk_history_create(
    objs: list, model: type[models.Model], *, history_type: str, user, reason: str
) -> None:
    """A history row for each object, as a single save writes it, in bulk."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = get_history_model_for_model(model)
    written_at = _history_date.get() or timezone.now()
    credit = {
        "history_date": written_at,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
        "history_change_reason": reason or None,
    }
    tracked = {field.attname for field in history_model.tracked_fields}
    fields = [field for field in history_model._meta.concrete_fields if not field.primary_key]
    if _others_listen() or not {field.attname for field in fields} <= tracked | set(credit):
        credit["history_user"] = credit.pop("history_user_id") and user
        _bulk_history_create_with_signals(objs, history_model, **credit)
        return
    # Each row: the object's tracked values, then the batch's credit, converted once.
    copied = [field for field in fields if field.attname in tracked]
    credited = [field for field in fields if field.attname not in tracked]
    credit_values = [_to_database(field)(credit[field.attname]) for field in credited]
    values = _values_of(copied)
    _insert_rows(history_model, [*copied, *credited], [values(obj) + credit_values for obj in objs])


def _bulk_history_create_with_signals(objs: list, history_model, **credit) -> None:
    """As a single save writes them: an instance per row, each sent to the receivers.

    simple-history's own bulk_history_create sends no pre_create_historical_record, so the
    stamp, or another receiver, would not see these rows.
    """
    attnames = [field.attname for field in history_model.tracked_fields]
    rows = []
    for obj in objs:
        row = history_model(**credit, **{attname: getattr(obj, attname) for attname in attnames})
        _send(pre_create_historical_record, obj, row)
        rows.append(row)
    history_model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    for obj, row in zip(objs, rows, strict=True):
        _send(post_create_historical_record, obj, row)


STAMP_RECEIVER = "sendplan.audit.stamp"


def _others_listen() -> bool:
    """Whether any receiver but the stamp listens for history rows being written."""
    pre = pre_create_historical_record.receivers
    return bool(post_create_historical_record.receivers) or any(
        lookup_key[0] != STAMP_RECEIVER for lookup_key, *_ in pre
    )


def _insert_objects(objs: list, model: type[models.Model]) -> None:
    """INSERT new objects as bulk_create does, setting their primary keys."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    for obj in objs:
        # A related object saved since it was assigned gives its new primary key, as in
        # bulk_create (the ownerships of actions created in the same batch).
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # One moment for the batch, as its one transaction has.
            moment = field.pre_save(objs[0], add=True)
            for obj in objs:
                setattr(obj, field.attname, moment)
    values = _values_of(fields)
    rows = [values(obj) for obj in objs]
    database = router.db_for_write(model)
    for obj, pk in zip(objs, _insert_rows(model, fields, rows, returning_pk=True), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = database


def _values_of(fields: list[models.Field]) -> Callable[[models.Model], list]:
    """A function giving an object's values of ``fields``, as the database driver takes them."""
    get = attrgetter(*(field.attname for field in fields))
    several = len(fields) > 1
    converted = [
        (index, _remembered(convert))
        for index, convert in enumerate(map(_to_database, fields))
        if convert is not _unchanged
    ]

    def values(obj: models.Model) -> list:
        row = list(get(obj)) if several else [get(obj)]
        for index, convert in converted:
            row[index] = convert(row[index])
        return row

    return values


def _remembered(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, run once per value: a batch repeats a few dates thousands of times,
    and converting one (a date as text on SQLite) costs more than looking it up."""
    done: dict[Any, Any] = {}

    def remembered(value):
        try:
            return done[value]
        except KeyError:
            done[value] = converted = convert(value)
            return converted
        except TypeError:  # unhashable
            return convert(value)

    return remembered


def _to_database(field: models.Field) -> Callable[[Any], Any]:
    """The function that makes a value of ``field`` what the database driver takes."""
    connection = connections[router.db_for_write(field.model)]
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(
        field, models.CharField | models.TextField | models.IntegerField | models.BooleanField
    ):
        return _unchanged
    if field.is_relation and isinstance(field.target_field, models.IntegerField):
        return _unchanged
    return lambda value: field.get_db_prep_save(value, connection)


def _unchanged(value):
    return value


def _insert_rows(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: list[list],
    *,
    returning_pk: bool = False,
) -> list[int]:
    """Insert rows of database values into ``fields``; the new primary keys, if asked for."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = model._meta.pk.column
    columns = [field.column for field in fields]
    pks: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if returning_pk:
                # Taken from the table's own sequence, as an INSERT would take them. The
                # sequence is named first: looked up in the nextval() call, it is looked up
                # for every row, which cost ten times the nextval()s themselves.
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk_column]
                )
                (sequence,) = cursor.fetchone()
                cursor.execute(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    [sequence, len(rows)],
                )
                pks = sorted(pk for (pk,) in cursor.fetchall())
                rows = [[pk, *row] for pk, row in zip(pks, rows, strict=True)]
                columns = [pk_column, *columns]
            names = ", ".join(map(quote, columns))
            types = _binary_copy_types(cursor, table, columns)
            # COPY (psycopg 3) rather than INSERT: the rows stream without being parsed as SQL,
            # in binary where every column is of a plain type, which spares both sides
            # writing and reading each value as text.
            options = " (FORMAT BINARY)" if types else ""
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN{options}") as copy:
                if types:
                    copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
            return pks
        names = ", ".join(map(quote, columns))
        placeholders = f"({', '.join(['%s'] * len(columns))})"
        per_statement = max(connection.features.max_query_params // len(columns), 1)
        returning = f" RETURNING {quote(pk_column)}" if returning_pk else ""
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "
                + ", ".join([placeholders] * len(chunk))
                + returning,
                [value for row in chunk for value in row],
            )
            if returning_pk:
                # In the order of the VALUES, as Django's bulk_create relies on.
                pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


# Column types whose Python values (as _to_database leaves them) psycopg writes in
# binary as they are; any other type in a table sends its COPY as text.
BINARY_COPY_TYPES = {
    "int2",
    "int4",
    "int8",
    "text",
    "varchar",
    "bool",
    "date",
    "timestamptz",
}


def _binary_copy_types(cursor, table: str, columns: list[str]) -> list[str] | None:
    """The columns' types, in order, if a binary COPY can write them all; else None.
    ``table`` is quoted, as in SQL."""
    cursor.execute(
        "SELECT attname, typname FROM pg_attribute JOIN pg_type ON pg_type.oid = atttypid "
        "WHERE attrelid = %s::regclass AND attname = ANY(%s)",
        [table, columns],
    )
    types = dict(cursor.fetchall())
    ordered = [types.get(column) for column in columns]
    return ordered if all(name in BINARY_COPY_TYPES for name in ordered) else None


def _send(signal, instance: models.Model, row: models.Model) -> None:
    signal.send(
        sender=type(row),
        instance=instance,
        history_instance=row,
        history_date=row.history_date,
        history_user=row.history_user,
        history_change_reason=row.history_change_reason,
        using=None,
    )


_history_date: ContextVar[datetime | None] = ContextVar("history_date", default=None)


@contextmanager
def history_stamped(*, date: datetime):
    """Record this date on every history row written inside the block.

    A context variable keeps the date to the block that set it, so other threads and
    requests are untouched.
    """
    token = _history_date.set(date)
    try:
        yield
    finally:
        _history_date.reset(token)


def _apply_history_stamp(sender, history_instance, **kwargs) -> None:
    if (date := _history_date.get()) is not None:
        history_instance.history_date = date


# Connected here, beside the stamp it applies, so that whoever can set a stamp has it
# applied, whichever app imports this module first.
pre_create_historical_record.connect(_apply_history_stamp, dispatch_uid=STAMP_RECEIVER)
