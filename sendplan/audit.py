"""Writing the audit history: the one module every write's history goes through.

Each history row carries the user and the reason, set before the write rather than after.
One object is saved or deleted with simple-history's own signals; many at once with
bulk_create_with_history and bulk_update_with_history, which write the same rows in bulk.
history_stamped dates the rows written inside a block, for a history that lies in the past.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.db import models
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
    """Delete each in turn (dependants before what they depend on), each with its history row."""
    for instance in instances:
        _credit(instance, user=user, reason=reason)
        instance.delete()


def bulk_create_with_history(
    objs: list, model: type[models.Model], *, user, reason: str = ""
) -> None:
    """Insert new objects in a few queries, with the history row a save would write for each.

    The caller has validated them: full_clean costs queries per object.
    """
    if objs:
        # Both SQLite and PostgreSQL return the new primary keys the history rows need.
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
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
    """A history row for each object, as a single save writes it, in bulk.

    simple-history's own bulk_history_create (behind its bulk_create_with_history) sends no
    pre_create_historical_record, so history_stamped would not date these rows.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = get_history_model_for_model(model)
    attnames = [field.attname for field in history_model.tracked_fields]
    reason = reason or None
    written_at = timezone.now()
    rows = []
    for obj in objs:
        row = history_model(
            history_date=written_at,
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **{attname: getattr(obj, attname) for attname in attnames},
        )
        _send(pre_create_historical_record, obj, row)
        rows.append(row)
    history_model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    for obj, row in zip(objs, rows, strict=True):
        _send(post_create_historical_record, obj, row)


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
pre_create_historical_record.connect(_apply_history_stamp, dispatch_uid="sendplan.audit.stamp")
