from django.db import models


class PublicStatus(models.TextChoices):
    """An action's progress in plain words, as the public page says it."""

    PLANNED = "planned", "Not started yet"
    UNDER_WAY = "under_way", "Under way"
    DELAYED = "delayed", "Taking longer than planned"
    DONE = "done", "Done"


PUBLIC_STATUS_COLOURS = {
    PublicStatus.PLANNED: "grey",
    PublicStatus.UNDER_WAY: "blue",
    PublicStatus.DELAYED: "orange",
    PublicStatus.DONE: "green",
}
