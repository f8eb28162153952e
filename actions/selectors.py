"""Reads of actions that need care: history-derived timelines."""

from dataclasses import dataclass
from datetime import datetime

from .choices import Rag, Status
from .models import Action


@dataclass(frozen=True)
class StatusChange:
    when: datetime
    who: str
    old_status: str
    new_status: str
    old_rag: str
    new_rag: str
    note: str

    @property
    def old_status_label(self) -> str:
        return Status(self.old_status).label if self.old_status else ""

    @property
    def new_status_label(self) -> str:
        return Status(self.new_status).label

    @property
    def old_rag_label(self) -> str:
        return Rag(self.old_rag).label if self.old_status else ""

    @property
    def new_rag_label(self) -> str:
        return Rag(self.new_rag).label


def _who(history_row) -> str:
    user = history_row.history_user
    if user is None:
        return "System (command line)"
    return user.get_full_name() or user.get_username()


def action_status_timeline(action: Action) -> list[StatusChange]:
    """The action's status and RAG changes, oldest first, from its audit history.

    The first entry is the action's creation (no old status). One query, whatever the length.
    """
    rows = action.history.select_related("history_user").order_by("history_date", "history_id")
    timeline = []
    previous = None
    for row in rows:
        if row.history_type == "-":
            continue
        if previous is None or (previous.status, previous.rag) != (row.status, row.rag):
            timeline.append(
                StatusChange(
                    when=row.history_date,
                    who=_who(row),
                    old_status=previous.status if previous else "",
                    new_status=row.status,
                    old_rag=previous.rag if previous else "",
                    new_rag=row.rag,
                    note=row.history_change_reason or "",
                )
            )
        previous = row
    return timeline
