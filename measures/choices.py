"""A measure's unit, better direction, reporting frequency, and the series its values belong to."""

from django.db import models


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    RATE_10K = "rate_10k", "Rate per 10,000"
    SCORE = "score", "Score"


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    TERMLY = "termly", "Termly"
    ANNUAL = "annual", "Annual"


class Series(models.TextChoices):
    """Whose figure a value is: the area's own, its target, or a comparator."""

    ACTUAL = "actual", "Actual"
    TARGET = "target", "Target"
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    NEIGHBOUR = "neighbour", "Statistical neighbour"


COMPARATOR_SERIES = (Series.ENGLAND, Series.REGION, Series.NEIGHBOUR)
# Series whose values name where they come from (which region, which neighbour).
NAMED_SERIES = (Series.REGION, Series.NEIGHBOUR)


class Direction(models.TextChoices):
    """How a value moved since an earlier one, judged by the measure's better direction."""

    BETTER = "better", "Better"
    WORSE = "worse", "Worse"
    SAME = "same", "No change"


# A second cue beside the words: an arrow that points the way the value moved, and a tag colour.
DIRECTION_COLOURS = {Direction.BETTER: "green", Direction.WORSE: "red", Direction.SAME: "grey"}
