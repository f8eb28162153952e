from django.conf import settings
from django.db import models
from django.db.models import Q

from actions.models import Action
from governance.models import UpdateRound

from .choices import Cadence, Reason


class Preference(models.Model):
    """A person's choice of reminder digest; its row is also the lock a run takes on them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    cadence = models.CharField(
        max_length=20, choices=Cadence.choices, default=Cadence.AS_IT_HAPPENS
    )

    def __str__(self):
        return f"{self.user}: {self.get_cadence_display()}"


class SentReminder(models.Model):
    """One action named in one e-mail to one person, for one reason: the record of what was
    sent, and the claim that stops two runs sending it twice (docs/decisions/0007).

    A row with no ``sent_at`` is a claim in flight; one older than the claim timeout was
    left by a run that died, and the next run takes it over.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_received"
    )
    # What was sent is kept: an action someone was reminded of cannot be deleted with it.
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reminders")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    round = models.ForeignKey(
        UpdateRound, on_delete=models.CASCADE, related_name="requests", null=True, blank=True
    )
    # The day the reminder became due for this person: the cadence counts from it.
    window_start = models.DateField()
    claimed_at = models.DateTimeField()
    claim = models.UUIDField(help_text="The run (and e-mail) that claimed it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField("sent to", blank=True)

    area_path = "action__priority__strategy__area"

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            # The lock: one reminder per person, action, reason and window ...
            models.UniqueConstraint(
                fields=["recipient", "action", "reason", "window_start"],
                condition=Q(round__isnull=True),
                name="reminder_once_per_window",
            ),
            # ... and for round e-mails, per round too.
            models.UniqueConstraint(
                fields=["recipient", "action", "reason", "round", "window_start"],
                condition=Q(round__isnull=False),
                name="round_email_once_per_window",
            ),
        ]
        indexes = [
            # A run reads each person's recent rows and claims in flight.
            models.Index(fields=["recipient", "window_start"], name="reminder_recipient_recent"),
            # Escalation reads the first reminder of an action for a reason.
            models.Index(fields=["action", "reason", "sent_at"], name="reminder_action_reason"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.action.reference} to {self.recipient}"
