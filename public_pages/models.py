"""Text written for the public, kept apart from the plan so nothing internal is shown by accident.

Each record has a draft and a published value of its public text. An officer (or a plan
admin) writes the draft; only a plan admin publishes it, which copies the draft to the
published fields and records who and when. The public pages read only published fields.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Action
from measures.models import Measure
from priorities.models import Priority, Strategy

from .choices import PUBLIC_STATUS_COLOURS, PublicStatus


class Approval(models.Model):
    """Who drafted the public text and who published it, and when."""

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    # A draft differs from what is published and waits for a plan admin.
    draft_waiting = models.BooleanField("draft waiting for approval", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField("last updated", null=True, blank=True)

    # Pairs of (draft field, published field): publishing copies each draft to its field.
    TEXT_FIELDS: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class StrategyPublication(models.Model):
    """Whether a strategy has a public page, and the introduction it opens with.

    Only plan admins change it, so it has no draft: what they save is what is shown.
    """

    strategy = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="publication")
    is_published = models.BooleanField("published on the public pages", default=False)
    introduction = models.TextField(
        blank=True, help_text="Opens the public page: what the strategy is for, in plain words."
    )
    published_at = models.DateTimeField("last updated", null=True, blank=True)
    history = HistoricalRecords()

    area_path = "strategy__area"

    class Meta:
        indexes = [
            # The public index: published strategies.
            models.Index(fields=["is_published"], name="strategy_pub_published"),
        ]
        permissions = [
            ("publish_public_text", "Can approve text for the public pages and publish a strategy")
        ]

    def __str__(self):
        return f"Public page of {self.strategy}"


class PriorityPublication(Approval):
    """A priority's public progress summary and its easy-read summary."""

    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="publication")
    draft_easy_read = models.TextField(
        "easy-read summary (draft)",
        blank=True,
        help_text="Short sentences and plain words: what this priority is and how it is going.",
    )
    draft_summary = models.TextField(
        "progress summary (draft)", blank=True, help_text="The fuller account of progress."
    )
    easy_read = models.TextField("easy-read summary", blank=True, editable=False)
    summary = models.TextField("progress summary", blank=True, editable=False)
    history = HistoricalRecords()

    TEXT_FIELDS = (("draft_easy_read", "easy_read"), ("draft_summary", "summary"))

    area_path = "priority__strategy__area"

    def __str__(self):
        return f"Public text of priority {self.priority.number}"


class ActionPublication(Approval):
    """An action's public title and its status in plain words."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="publication")
    draft_title = models.CharField("public title (draft)", max_length=300, blank=True)
    draft_status = models.CharField(
        "public status (draft)", max_length=20, choices=PublicStatus.choices, blank=True
    )
    title = models.CharField("public title", max_length=300, blank=True, editable=False)
    status = models.CharField(
        "public status", max_length=20, choices=PublicStatus.choices, blank=True, editable=False
    )
    history = HistoricalRecords()

    TEXT_FIELDS = (("draft_title", "title"), ("draft_status", "status"))

    area_path = "action__priority__strategy__area"

    def __str__(self):
        return f"Public text of action {self.action.reference}"

    @property
    def status_colour(self) -> str:
        return PUBLIC_STATUS_COLOURS[PublicStatus(self.status)] if self.status else "grey"


class MeasurePublication(models.Model):
    """Whether a measure of impact is shown on its strategy's public page.

    What shows is only what the public can read in the figures themselves: the measure's
    name, its latest value, target and direction; never its definition notes or owner.
    """

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="publication")
    is_published = models.BooleanField("shown on the public page", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    area_path = "measure__strategy__area"

    def __str__(self):
        return f"Public showing of {self.measure}"
