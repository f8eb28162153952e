from django.db import models


class StrategyStage(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out to consultation"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"
