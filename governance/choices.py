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


# Engagement with families and partners: who took part, how, and how far they shaped the plan.
class EngagementGroup(models.TextChoices):
    PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
    YOUNG_PEOPLE = "young_people", "Children and young people's groups"
    PARENTS_AND_CARERS = "parents_and_carers", "Parents and carers"
    SCHOOLS = "schools", "Schools and settings"
    HEALTH = "health", "Health services"
    SOCIAL_CARE = "social_care", "Social care"
    PUBLIC = "public", "The public"


class EngagementMethod(models.TextChoices):
    SURVEY = "survey", "Survey"
    WORKSHOP = "workshop", "Workshop"
    FORUM_MEETING = "forum_meeting", "Forum meeting"
    CONSULTATION = "consultation", "Public consultation"
    OTHER = "other", "Other"


class InvolvementLevel(models.TextChoices):
    """The ladder of participation, lowest first."""

    INFORM = "inform", "Inform"
    CONSULT = "consult", "Consult"
    INVOLVE = "involve", "Involve"
    CO_PRODUCE = "co_produce", "Co-produce"


class PapersRoute(models.TextChoices):
    """How a version of a meeting's papers came to be published."""

    PAGE = "page", "on the meeting's page"
    ADMIN = "admin", "in the admin"
    COMMAND = "command", "by manage.py publish_papers"
    MIGRATION = "migration", "by the migration that replaced the packs cache"
    DEMO = "demo", "with the demo data"
