from django.db import models


class BoardKind(models.TextChoices):
    PARTNERSHIP = "partnership", "SEND Partnership Board"
    OPERATIONAL = "operational", "SEND Operational Board"
    HEALTH_AND_WELLBEING = "health_and_wellbeing", "Health and Wellbeing Board"
    CABINET = "cabinet", "Cabinet"


class DecisionStatus(models.TextChoices):
    """Where a decision stands, in the words council decision registers use."""

    PROPOSED = "proposed", "Proposed"
    MADE = "made", "Made (approved)"
    IMPLEMENTED = "implemented", "Implemented"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"
