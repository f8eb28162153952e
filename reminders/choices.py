from django.db import models


class Reason(models.TextChoices):
    """Why an e-mail named an action. The first three are the owners' reminders."""

    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    STALE = "stale", "No recent update"
    ESCALATED_OVERDUE = "escalated_overdue", "Still overdue after a reminder"
    ESCALATED_STALE = "escalated_stale", "Still without an update after a reminder"
    NO_HOLDER = "no_holder", "Nobody holds its owner roles"
    ROUND_REQUEST = "round_request", "Update round request"
    ROUND_CHASER = "round_chaser", "Update round reminder"


REMINDER_REASONS = [Reason.DUE_SOON, Reason.OVERDUE, Reason.STALE]
ESCALATION_REASONS = [Reason.ESCALATED_OVERDUE, Reason.ESCALATED_STALE, Reason.NO_HOLDER]
ROUND_REASONS = [Reason.ROUND_REQUEST, Reason.ROUND_CHASER]


class Cadence(models.TextChoices):
    """How often a person gets the digest of their reminders."""

    AS_IT_HAPPENS = "as_it_happens", "As it happens (each run, usually hourly)"
    DAILY = "daily", "At most once a day"
    WEEKLY = "weekly", "At most once a week"
    OFF = "off", "Never: I do not want reminders"
