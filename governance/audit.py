"""Stamping the history rows written inside a block with a given user or date.

The plan services record the user they are called with. Two callers need another stamp:
a board review creates follow-up actions through those services on the reviewer's
behalf (only plan administrators may call them as themselves), and the demo dates its
history in the past. A context variable keeps the stamp to the block that set it, so
other threads and requests are untouched.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

_stamp: ContextVar[dict | None] = ContextVar("history_stamp", default=None)

_UNSET = object()


@contextmanager
def history_stamped(*, user=_UNSET, date: datetime | None = None):
    """Record this user and/or date on every history row written inside the block."""
    stamp = dict(_stamp.get() or {})
    if user is not _UNSET:
        stamp["history_user"] = user
    if date is not None:
        stamp["history_date"] = date
    token = _stamp.set(stamp)
    try:
        yield
    finally:
        _stamp.reset(token)


def apply_history_stamp(sender, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver, connected in GovernanceConfig.ready()."""
    for field, value in (_stamp.get() or {}).items():
        setattr(history_instance, field, value)
