from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions import rules
from actions.choices import Rag
from actions.models import Action
from priorities.models import LocalArea, Priority, Strategy

from .choices import (
    BoardKind,
    DecisionStatus,
    EngagementGroup,
    EngagementMethod,
    InvolvementLevel,
    PapersRoute,
)


class Board(models.Model):
    """A body that oversees the plan or decides on the strategy."""

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BoardMembership", related_name="boards", blank=True
    )
    history = HistoricalRecords()

    area_path = "area"

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="board_unique_name_in_area")
        ]

    def __str__(self):
        return f"{self.name} ({self.area.name})"


class BoardMembership(models.Model):
    """A user sitting on a board; its own history records who joined or left when."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships"
    )
    role = models.CharField(
        max_length=100, blank=True, help_text='On the board, for example "Chair".'
    )
    history = HistoricalRecords()

    area_path = "board__area"

    class Meta:
        ordering = ["board", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="board_membership_unique")
        ]

    def __str__(self):
        return f"{self.user} sits on {self.board.name}"


class Meeting(models.Model):
    """A meeting of a board, whose pack shows the plan as it stood at the end of that day."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The strategy whose action plan the meeting monitors.",
    )
    date = models.DateField()
    title = models.CharField(max_length=200)
    agenda = models.TextField("agenda notes", blank=True)
    minutes = models.TextField(blank=True)
    history = HistoricalRecords()

    area_path = "board__area"

    class Meta:
        ordering = ["-date", "board__name"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date", "title"], name="meeting_unique_title_on_date"
            )
        ]

    def __str__(self):
        return f"{self.board.name}, {self.date.day} {self.date:%B %Y}"

    def get_absolute_url(self):
        return reverse("governance:meeting_pack", args=[self.pk])

    def monitors(self, priority) -> bool:
        """Whether the priority is of the plan this meeting monitors."""
        return priority.strategy_id == self.strategy_id

    def clean(self):
        if self.strategy_id and self.board_id and self.strategy.area_id != self.board.area_id:
            raise ValidationError({"strategy": "Choose a strategy of the board's own area."})


class Review(models.Model):
    """A board's view of one action, or of a whole priority when no action is named."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reviews")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="reviews")
    action = models.ForeignKey(
        Action,
        # A reviewed action is part of the board's record: complete it rather than delete it.
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
        help_text="Leave blank to review the whole priority.",
    )
    rag = models.CharField("board's RAG", max_length=10, choices=Rag.choices, blank=True)
    comment = models.TextField(blank=True)
    recommendation = models.TextField("recommendation or decision", blank=True)
    # The plan's actions that the board asked for; created by services.review_record.
    follow_ups = models.ManyToManyField(Action, related_name="raised_by_reviews", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The version of the meeting's papers the board had when it reviewed (none published).
    papers = models.ForeignKey(
        "Papers",
        on_delete=models.PROTECT,
        related_name="reviews",
        null=True,
        blank=True,
        editable=False,
    )
    history = HistoricalRecords(m2m_fields=[follow_ups])

    area_path = "meeting__board__area"

    class Meta:
        ordering = ["meeting", "priority__order", "priority__number", "recorded_at"]

    def __str__(self):
        return f"Review of {self.subject_reference} at {self.meeting}"

    @property
    def subject_reference(self) -> str:
        if self.action_id:
            return self.action.reference
        return f"priority {self.priority.number}"

    def clean(self):
        if self.action_id and self.priority_id and self.action.priority_id != self.priority_id:
            raise ValidationError({"action": "Choose an action of the reviewed priority."})
        # A board reviews what it met about: not before the meeting day (the area's day),
        # whichever way the review is recorded (the meeting's page, the admin).
        if self._state.adding and self.meeting_id and self.meeting.date > rules.today():
            raise ValidationError(
                {
                    "meeting": f"The meeting of {self.meeting.date.day} "
                    f"{self.meeting.date:%B %Y} has not happened yet: record the board's "
                    "reviews on or after the meeting day."
                }
            )


class Decision(models.Model):
    """A decision about the strategy as the council records it, with its delegation."""

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(
        max_length=50, blank=True, help_text='As the council numbers it: "115/2022", "21/00019".'
    )
    title = models.CharField(max_length=300)
    date = models.DateField("date of decision", null=True, blank=True)
    decision_maker = models.CharField(
        max_length=300, help_text='For example "Cabinet" or "Director of People".'
    )
    delegated_by = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="delegated_decisions",
        null=True,
        blank=True,
        help_text="The body that delegated the decision, if it was delegated.",
    )
    delegation = models.TextField(
        blank=True, help_text="The delegation as recorded, with the delegating decision's number."
    )
    decision = models.TextField()
    reasons = models.TextField("reasons for the decision", blank=True)
    options_rejected = models.TextField("other options considered and rejected", blank=True)
    conflicts_of_interest = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    is_key_decision = models.BooleanField("key decision", default=False)
    key_decision_reason = models.CharField(
        max_length=300, blank=True, help_text='For example "Expenditure of more than £1m".'
    )
    lead_officer = models.CharField(max_length=200, blank=True)
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, related_name="decisions", null=True, blank=True
    )
    actions = models.ManyToManyField(Action, related_name="decisions", blank=True)
    # The version of its meeting's papers current when the decision was recorded.
    papers = models.ForeignKey(
        "Papers",
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
        editable=False,
    )
    history = HistoricalRecords(m2m_fields=[actions])

    area_path = "area"

    class Meta:
        # Undated decisions last, on SQLite and PostgreSQL alike.
        ordering = [models.F("date").desc(nulls_last=True), "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "number"],
                condition=~models.Q(number=""),
                name="decision_unique_number_in_area",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("governance:decision_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.delegated_by_id and self.area_id and self.delegated_by.area_id != self.area_id:
            errors["delegated_by"] = "Choose a body of the decision's own area."
        if self.strategy_id and self.area_id and self.strategy.area_id != self.area_id:
            errors["strategy"] = "Choose a strategy of the decision's own area."
        if not self.is_key_decision and self.key_decision_reason:
            errors["key_decision_reason"] = "Only a key decision has a reason for being key."
        if errors:
            raise ValidationError(errors)


class PapersQuerySet(models.QuerySet):
    def listed(self):
        """Without the stored bodies, data and workbook: for lists of versions."""
        return self.defer("data", "body", "body_deflated", "workbook")

    def update(self, **kwargs):
        raise ValueError("Published papers are never changed: publish a new version.")

    def delete(self):
        raise ValueError("Published papers are never deleted: they are what the board read.")


class Papers(models.Model):
    """One published version of a meeting's papers: what the board read, kept as published.

    A version is never changed or deleted (save refuses an existing row, delete refuses
    always); publishing again before the meeting adds the next version. The body is the
    pack's HTML as rendered at publication, also kept deflated so that a browser taking
    gzip is sent it as stored (sendplan/spliced_gzip.py); the workbook is the download.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="papers")
    version = models.PositiveIntegerField()
    as_at = models.DateTimeField(help_text="The moment the papers show the plan as at.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="papers_published",
        null=True,
        blank=True,
    )
    # The name as it was when publishing (a later change of name leaves the record alone).
    published_by_name = models.CharField(max_length=300, blank=True)
    route = models.CharField("published", max_length=20, choices=PapersRoute.choices)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    body = models.TextField()
    body_deflated = models.BinaryField()
    # The deflated body's CRC-32, length and CRC shift (spliced_gzip.Deflated).
    body_deflated_figures = models.JSONField()
    workbook = models.BinaryField()

    objects = PapersQuerySet.as_manager()

    area_path = "meeting__board__area"

    class Meta:
        verbose_name = "published papers"
        verbose_name_plural = "published papers"
        ordering = ["meeting", "-version"]
        get_latest_by = "version"
        constraints = [
            # Also serves "the latest version of a meeting's papers".
            models.UniqueConstraint(fields=["meeting", "version"], name="papers_unique_version")
        ]

    def __str__(self):
        return f"Papers for {self.meeting}, version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Published papers are never changed: publish a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("governance:papers_version", args=[self.meeting_id, self.version])

    def delete(self, *args, **kwargs):
        raise ValueError("Published papers are never deleted: they are what the board read.")

    @property
    def published_by_words(self) -> str:
        """ "by" whom, or how when nobody signed in published them (a command, the migration)."""
        if self.published_by_name:
            return f"by {self.published_by_name}"
        return PapersRoute(self.route).label


# Update rounds (issue 12) ---------------------------------------------------------------


class UpdateRound(models.Model):
    """Owners are asked to update the actions it covers before a meeting's papers go out.

    The actions covered are fixed when the round starts (RoundAction), so its progress
    is measured against the same list however the plan changes afterwards.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="update_round")
    deadline = models.DateField(help_text="The day by which owners should have updated.")
    actions = models.ManyToManyField(Action, through="RoundAction", related_name="update_rounds")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="update_rounds_started"
    )
    started_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    area_path = "meeting__board__area"

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Update round for {self.meeting}"

    def clean(self):
        if self.meeting_id and self.deadline and self.deadline > self.meeting.date:
            raise ValidationError({"deadline": "The deadline must be on or before the meeting."})


class RoundAction(models.Model):
    """An action an update round covers; written once, when the round starts."""

    round = models.ForeignKey(UpdateRound, on_delete=models.CASCADE, related_name="coverage")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="round_coverage")

    area_path = "round__meeting__board__area"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "action"], name="round_action_unique")
        ]

    def __str__(self):
        return f"{self.action.reference} in {self.round}"


# What "You said, we did" shows: a change to any of these needs a plan admin's approval again.
ENGAGEMENT_PUBLIC_FIELDS = (
    "title",
    "date",
    "groups",
    "participants",
    "method",
    "level",
    "you_said",
    "we_did",
)


class Engagement(models.Model):
    """Families and partners were asked or involved, and the plan changed as a result.

    "What people said" and "what changed" are written to be read by the public: they go
    on the public page as "You said, we did" once a plan admin approves them. Internal
    notes never do.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="engagements")
    title = models.CharField(max_length=200, help_text='For example "Public consultation".')
    date = models.DateField(help_text="When it took place (or closed).")
    groups = models.JSONField("who took part", default=list, help_text="The groups that took part.")
    participants = models.CharField(
        "who took part, in words",
        max_length=300,
        blank=True,
        help_text='For example "Medway Parents and Carers Forum and 40 parents".',
    )
    method = models.CharField("how", max_length=20, choices=EngagementMethod.choices)
    level = models.CharField(
        "level of involvement", max_length=20, choices=InvolvementLevel.choices
    )
    you_said = models.TextField("what people said")
    we_did = models.TextField("what changed as a result", blank=True)
    internal_notes = models.TextField(
        blank=True, help_text="For officers and the board only; never published."
    )
    priorities = models.ManyToManyField(Priority, related_name="engagements", blank=True)
    actions = models.ManyToManyField(Action, related_name="engagements", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagements_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Approval for the public page: set only by services.engagement_publish.
    is_published = models.BooleanField("approved for publication", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="engagements_published",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[priorities, actions])

    area_path = "strategy__area"

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            # The board pack's engagements between two meetings, and the public page's list.
            models.Index(fields=["strategy", "date"], name="engagement_strategy_date"),
        ]

    def __str__(self):
        return f"{self.title}, {self.date.day} {self.date:%B %Y}"

    @property
    def group_labels(self) -> list[str]:
        return [EngagementGroup(value).label for value in self.groups]

    def clean(self):
        errors = {}
        if not isinstance(self.groups, list) or not self.groups:
            errors["groups"] = "Choose at least one group that took part."
        elif unknown := [g for g in self.groups if g not in EngagementGroup.values]:
            errors["groups"] = f"Unknown group: {', '.join(map(str, unknown))}."
        if self.is_published and not self.we_did.strip():
            errors["we_did"] = "Say what changed as a result before publishing."
        if errors:
            raise ValidationError(errors)
