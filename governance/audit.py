"""Dating the history rows written inside a block: the demo's plan history lies in the past.

A context variable keeps the date to the block that set it, so other threads and
requests are untouched.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

_history_date: ContextVar[datetime | None] = ContextVar("history_date", default=None)


@contextmanager
def history_stamped(*, date: datetime):
    """Record this date on every history row written inside the block."""
    token = _history_date.set(date)
    try:
        yield
    finally:
        _history_date.reset(token)


def apply_history_stamp(sender, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver, connected in GovernanceConfig.ready()."""
    if (date := _history_date.get()) is not None:
        history_instance.history_date = date
