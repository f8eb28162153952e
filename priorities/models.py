from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from sendplan.roles import ROLE_PERMISSIONS

from .choices import StrategyStage


class LocalArea(models.Model):
    """A council with its NHS partners, such as Medway or Kent."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AreaMembership", related_name="local_areas", blank=True
    )
    history = HistoricalRecords()
    # Every scoped model names its way to its local area (sendplan/roles.py reads it).
    area_path = ""

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AreaMembership(models.Model):
    """A user holds a role in a local area: it acts there, and only there. An officer in
    Kent who sits on Medway's board holds two memberships; so does a Kent officer who is
    also Kent's plan admin."""

    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_memberships"
    )
    # A role group, holding the role's permissions (sendplan/roles.py): the choice offers
    # the roles and no other group a superuser may have made.
    role = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="area_memberships",
        limit_choices_to={"name__in": list(ROLE_PERMISSIONS)},
    )
    history = HistoricalRecords()
    area_path = "area"

    class Meta:
        ordering = ["area__name", "role__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "user", "role"], name="area_membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.role} in {self.area}"


class Strategy(models.Model):
    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="strategies")
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    stage = models.CharField(
        max_length=20, choices=StrategyStage.choices, default=StrategyStage.DRAFT
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()
    area_path = "area"

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["area__name", "-start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["area", "title"], name="strategy_unique_title_in_area")
        ]

    def __str__(self):
        return f"{self.area.name}: {self.title}"

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}-{self.end_year}"
        return ""

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The period cannot end before it starts."})


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()
    area_path = "strategy__area"

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["strategy", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="priority_unique_number_in_strategy"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"
