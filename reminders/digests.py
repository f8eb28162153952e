"""What one e-mail says: its recipient, its kind, and the actions it names with the reasons."""

from dataclasses import dataclass, field

from .choices import Reason


class Kind:
    REMINDERS = "reminders"
    ESCALATIONS = "escalations"
    ROUND_REQUEST = "round_request"
    ROUND_CHASER = "round_chaser"


@dataclass(frozen=True)
class Item:
    """One action named for one reason; ``note`` says more ("nobody holds DCO")."""

    action: object
    reason: str
    round: object = None
    note: str = ""

    @property
    def key(self) -> tuple:
        return (self.action.pk, self.reason, self.round.pk if self.round else None)

    def matches(self, row) -> bool:
        return (row.action_id, row.reason, row.round_id) == self.key


@dataclass
class Digest:
    recipient: object
    kind: str
    items: list[Item] = field(default_factory=list)
    round: object = None

    def sections(self) -> list[tuple[str, list[Item]]]:
        """The items grouped by reason, in the order of the reasons."""
        by_reason: dict[str, list[Item]] = {}
        for item in self.items:
            by_reason.setdefault(item.reason, []).append(item)
        return [(Reason(r).label, by_reason[r]) for r in Reason.values if r in by_reason]

    def describe(self) -> str:
        """One line for the command's output: who gets what."""
        who = self.recipient.get_username()
        parts = [
            f"{label.lower()}: {', '.join(item.action.reference for item in items)}"
            for label, items in self.sections()
        ]
        return f"{who} <{self.recipient.email or 'no e-mail address'}> {self.kind}: " + "; ".join(
            parts
        )
