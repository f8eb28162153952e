"""Saving and deleting with an audit trail: the user and the reason go on the history row."""

from django.db import models


def save_with_history(instance: models.Model, *, user, reason: str = "") -> None:
    """Validate and save, recording who made the change and why (set before saving, not after)."""
    instance._history_user = user
    instance._change_reason = reason or None
    instance.full_clean()
    instance.save()


def delete_with_history(instance: models.Model, *, user, reason: str = "") -> None:
    instance._history_user = user
    instance._change_reason = reason or None
    instance.delete()
