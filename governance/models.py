from django.db import models
from simple_history.models import HistoricalRecords

from priorities.models import LocalArea

from .choices import BoardKind


class Board(models.Model):
    """A body that oversees the plan or decides on the strategy."""

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="board_unique_name_in_area")
        ]

    def __str__(self):
        return f"{self.name} ({self.area.name})"
