import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.models import HistoricalRecords

from priorities.models import LocalArea, Priority
from sendplan.history import IndexedHistoricalRecords

from . import rules
from .choices import STATUS_COLOURS, Organisation, Rag, Status


def normalise_name(name: str) -> str:
    """The key two spellings of one role share: case and spacing do not matter."""
    return " ".join(name.replace("\u00a0", " ").split()).casefold()


class Owner(models.Model):
    """A role that owns actions, such as "Head of 0-25 Integrated Service" or "DCO"."""

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="owners")
    name = models.CharField(max_length=200)
    # Kept in step with name by clean() and save(); serves the look-up by spelling.
    normalised_name = models.CharField(max_length=200, editable=False)
    organisation = models.CharField(
        max_length=30, choices=Organisation.choices, default=Organisation.UNKNOWN, blank=True
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other spellings and abbreviations of this role, one a line (for example DCO).",
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OwnerHolder", related_name="owner_roles", blank=True
    )
    history = HistoricalRecords()

    area_path = "area"

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "normalised_name"], name="owner_unique_name_in_area"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self._normalise_name()
        super().save(*args, **kwargs)

    def clean(self):
        # full_clean checks the unique name after clean(): set here, not only in save(), so
        # the check compares the owner's own key rather than an empty one.
        self._normalise_name()

    def _normalise_name(self) -> None:
        self.name = " ".join(self.name.replace("\u00a0", " ").split())
        self.normalised_name = normalise_name(self.name)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def spellings(self) -> list[str]:
        """Every name this owner answers to: its name first, then its aliases."""
        return [self.name, *self.alias_list]


class OwnerHolder(models.Model):
    """A user who holds an owner role; its own history records who was given a role when."""

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="holdings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner_holdings"
    )
    history = HistoricalRecords()

    area_path = "owner__area"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "user"], name="owner_holder_unique")
        ]

    def __str__(self):
        return f"{self.user} holds {self.owner}"


class ActionQuerySet(models.QuerySet):
    """The rules of actions/rules.py as filters."""

    def open(self):
        return self.filter(rules.open_q())

    def overdue(self, today: datetime.date):
        return self.filter(rules.overdue_q(today))

    def due_soon(self, today: datetime.date):
        return self.filter(rules.due_soon_q(today))

    def stale(self, today: datetime.date, stale_days: int | None = None):
        return self.filter(stale_q(today, stale_days))


class Action(models.Model):
    # No index of its own: action_unique_reference_in_priority (priority, reference) serves
    # the look-ups by priority, and a third index on the same column slowed every insert.
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="actions", db_index=False
    )
    reference = models.CharField(max_length=20, help_text='For example "2.3".')
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    owners = models.ManyToManyField(Owner, through="ActionOwner", related_name="actions")
    deadline_text = models.CharField(
        "by when (as written)",
        max_length=200,
        blank=True,
        help_text='As written: "Bi monthly /ongoing".',
    )
    due_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField(null=True, blank=True, editable=False)
    is_ongoing = models.BooleanField("ongoing or recurring", default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField(
        "RAG", max_length=10, choices=Rag.choices, default=Rag.NOT_RATED, blank=True
    )
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    # Bumped by every save through the services, so a form posted against an older
    # version is caught instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = IndexedHistoricalRecords(
        excluded_fields=["updated_at"],
        # An action's rows are found by action_history_newest (id first), a plan's by
        # action_history_plan_date (priority first): no index on either column alone.
        no_db_index=["id", "priority"],
        indexes=[
            # An action's rows newest first: the board pack's plan as at a moment
            # (governance.selectors.actions_as_at), the stale filter's first record.
            models.Index(
                fields=["id", "-history_date", "-history_id"], name="action_history_newest"
            ),
            # A plan's rows since a date: what changed (actions.selectors.history).
            models.Index(fields=["priority", "history_date"], name="action_history_plan_date"),
        ],
    )

    objects = ActionQuerySet.as_manager()

    area_path = "priority__strategy__area"

    class Meta:
        ordering = ["priority__strategy", "priority__order", "priority__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "reference"], name="action_unique_reference_in_priority"
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="action_percent_at_most_100"
            ),
        ]
        indexes = [
            # Overdue and due-soon counts: open actions filtered by due date.
            models.Index(fields=["status", "due_date"], name="action_status_due"),
        ]
        permissions = [
            ("update_own_action", "Can update the progress of actions of the roles they hold"),
        ]

    def __str__(self):
        return f"{self.reference} {self.text[:80]}"

    @property
    def is_completed(self) -> bool:
        return self.status == Status.COMPLETED

    @property
    def is_overdue(self) -> bool:
        return rules.is_overdue(status=self.status, due_date=self.due_date, today=rules.today())

    @property
    def is_due_soon(self) -> bool:
        return rules.is_due_soon(status=self.status, due_date=self.due_date, today=rules.today())

    @property
    def slip_days(self) -> int:
        """Days the due date has moved since it was first set (positive: later)."""
        if self.due_date and self.original_due_date:
            return (self.due_date - self.original_due_date).days
        return 0

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]


class ActionOwner(models.Model):
    """An owner named in an action's "By whom"; its own history records owners added and removed."""

    # No index of its own: action_owner_unique (action, owner) serves the look-ups by action.
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="ownerships", db_index=False
    )
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="ownerships")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    area_path = "action__priority__strategy__area"

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["action", "owner"], name="action_owner_unique")
        ]

    def __str__(self):
        return f"{self.owner} owns {self.action.reference}"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    area_path = "action__priority__strategy__area"

    class Meta:
        ordering = ["order", "due_date"]

    def __str__(self):
        return self.text[:80]


class ProgressUpdate(models.Model):
    """A dated note on an action's progress, by the person who gave it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    history = IndexedHistoricalRecords(
        indexes=[
            # An action's updates before a moment: the board pack's "last update"
            # (governance.selectors.actions_as_at).
            models.Index(fields=["action", "history_date"], name="update_history_action_date"),
        ]
    )

    area_path = "action__priority__strategy__area"

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # "Last update" per action and stale counts read the newest update per action.
            models.Index(fields=["action", "-created_at"], name="update_action_newest"),
        ]

    def __str__(self):
        return f"{self.action.reference} {self.created_at:%d %b %Y}"


def stale_q(today: datetime.date, stale_days: int | None = None) -> models.Q:
    """rules.is_stale as a filter: open, with no progress update and no first record since
    the cutoff."""
    cutoff = rules.stale_cutoff(today, stale_days)
    updated = ProgressUpdate.objects.filter(action=OuterRef("pk"), created_at__gte=cutoff)
    recorded = Action.history.model.objects.filter(
        id=OuterRef("pk"), history_type="+", history_date__gte=cutoff
    )
    return rules.open_q() & ~Exists(updated) & ~Exists(recorded)
