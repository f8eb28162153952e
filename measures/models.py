"""Measures of impact: what a strategy tracks to show it makes a difference, and their values.

A value's own record keeps who entered it and when; its history keeps every figure it
replaced, so a board pack can show the value as it was known on the meeting day.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action, Owner
from priorities.models import LocalArea, Priority, Strategy

from .choices import NAMED_SERIES, Better, Frequency, Series, Unit


class Measure(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="For example DfE SEN2 return, or a parent survey."
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    better = models.CharField(
        "which direction is better", max_length=10, choices=Better.choices, default=Better.HIGHER
    )
    frequency = models.CharField(
        "reported", max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    owner = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        help_text="The owner role whose holders enter this measure's values.",
    )
    priorities = models.ManyToManyField(
        Priority, through="MeasurePriority", related_name="measures", blank=True
    )
    actions = models.ManyToManyField(
        Action, through="MeasureAction", related_name="measures", blank=True
    )
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_period_end = models.DateField(null=True, blank=True)
    baseline_period_label = models.CharField(max_length=50, blank=True)
    is_illustrative = models.BooleanField(
        "figures are illustrative",
        default=False,
        help_text="Shown on every page of the measure: the figures are examples, not statistics.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    source_column = models.CharField(
        "column in published statistics",
        max_length=100,
        blank=True,
        help_text="The indicator column of the DfE's file to import, for example "
        "percent_ehc_plans_issued_within_20_weeks.",
    )
    source_filters = models.TextField(
        "rows in published statistics",
        blank=True,
        help_text="Which rows of the DfE's file to import, one filter a line as column=value "
        "(breakdown=Under 5); any other filter column is read at its total rows.",
    )
    history = HistoricalRecords()

    area_path = "strategy__area"

    class Meta:
        ordering = ["strategy", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="measure_unique_name")
        ]
        permissions = [
            ("enter_own_values", "Can enter values of measures of the owner roles they hold"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (self.baseline_value is None) != (self.baseline_period_end is None):
            raise ValidationError("A baseline needs both its value and the period it is for.")
        if self.owner_id and self.strategy_id and self.owner.area_id != self.strategy.area_id:
            raise ValidationError({"owner": "The owner role must be of the plan's local area."})
        for line in self.source_filters.splitlines():
            if line.strip() and "=" not in line:
                raise ValidationError({"source_filters": f"“{line.strip()}” is not column=value."})

    def filter_choices(self) -> dict[str, str]:
        """The kept filters as {column: value}."""
        return parse_filters(self.source_filters.splitlines())


def parse_filters(lines) -> dict[str, str]:
    """Filters written column=value, one each, as a dict; a line without "=" is ignored
    (the form and the command refuse it first)."""
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {column.strip(): value.strip() for column, value in pairs if column.strip()}


class MeasurePriority(models.Model):
    """A priority a measure evidences; its own history records links made and removed."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="priority_links")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measure_links")
    history = HistoricalRecords()

    area_path = "measure__strategy__area"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "priority"], name="measure_priority_unique")
        ]

    def __str__(self):
        return f"{self.measure} evidences priority {self.priority.number}"


class MeasureAction(models.Model):
    """An action a measure evidences."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="action_links")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measure_links")
    history = HistoricalRecords()

    area_path = "measure__strategy__area"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "action"], name="measure_action_unique")
        ]

    def __str__(self):
        return f"{self.measure} evidences action {self.action.reference}"


class MeasureValue(models.Model):
    """One figure of one series for one period: the area's actual, a target, or a comparator.

    A correction saves over the value; the history keeps the figure it replaced.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    series = models.CharField(max_length=20, choices=Series.choices, default=Series.ACTUAL)
    comparator = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a region or a statistical neighbour: its name (for example Kent).",
    )
    period_end = models.DateField(help_text="The last day of the period the value is for.")
    period_label = models.CharField(
        max_length=50, help_text='As people say it: "2023", "Q2 2024-25", "Spring term 2025".'
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    is_provisional = models.BooleanField("provisional", default=False)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="measure_values",
        null=True,
        blank=True,
    )
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    area_path = "measure__strategy__area"

    class Meta:
        ordering = ["measure", "series", "comparator", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "series", "comparator", "period_end"],
                name="measure_value_unique_period",
            )
        ]

    def __str__(self):
        return f"{self.measure}: {self.period_label} {self.get_series_display()} {self.value}"

    def clean(self):
        if self.series in NAMED_SERIES and not self.comparator:
            raise ValidationError({"comparator": "Name the region or statistical neighbour."})
        if self.series not in NAMED_SERIES and self.comparator:
            raise ValidationError({"comparator": "Only a region or a neighbour has a name."})


def format_value(value, unit: str) -> str:
    """A figure as the board reads it: "58.3%", "4.2 per 10,000", "96 days", "1,204"."""
    if value is None:
        return "–"
    value = Decimal(value)
    number = value.quantize(Decimal("0.1"), ROUND_HALF_UP) if value % 1 else int(value)
    text = f"{number:,}"
    return {
        Unit.PERCENT: f"{text}%",
        Unit.RATE_10K: f"{text} per 10,000",
        Unit.DAYS: f"{text} days",
    }.get(unit, text)


class AreaComparators(models.Model):
    """Whom a local area compares itself with: its region and its statistical neighbours.

    Values files name many areas; rows for these (and England) become comparator series,
    and rows for any other area are reported as not matched.
    """

    area = models.OneToOneField(
        LocalArea, on_delete=models.CASCADE, related_name="comparators", primary_key=True
    )
    la_code = models.CharField(
        "local authority code",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[EW]\d{8}$", "A code like E06000035.")],
        help_text="As the DfE codes it (new_la_code), for example E06000035 for Medway: "
        "published statistics are matched on it before the name.",
    )
    region = models.CharField(max_length=100, blank=True, help_text="For example South East.")
    statistical_neighbours = models.TextField(
        blank=True, help_text="One local authority a line, as the DfE names them."
    )
    history = HistoricalRecords()

    area_path = "area"

    class Meta:
        verbose_name = "comparators of an area"
        verbose_name_plural = "comparators of areas"

    def __str__(self):
        return f"Comparators of {self.area}"

    @property
    def neighbour_list(self) -> list[str]:
        return [line.strip() for line in self.statistical_neighbours.splitlines() if line.strip()]
