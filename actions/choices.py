"""Status and RAG values, each with its label and colour. Templates read them from here."""

from django.db import models


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed"


# GOV.UK Frontend tag modifier classes; the label is always shown beside the colour.
STATUS_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.AT_RISK: "yellow",
    Status.BLOCKED: "red",
    Status.COMPLETED: "green",
}


class Rag(models.TextChoices):
    NOT_RATED = "", "Not rated"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_COLOURS = {
    Rag.NOT_RATED: "grey",
    Rag.RED: "red",
    Rag.AMBER: "orange",
    Rag.GREEN: "green",
}
# Spreadsheet fills for the RAG words, by label; the word stays in the cell for whoever
# cannot see the colour.
RAG_FILLS = {
    Rag.RED.label: "F4B6B6",
    Rag.AMBER.label: "FFE0A3",
    Rag.GREEN.label: "B7E1C1",
}

# The action list's filter value for "no RAG rating", which is stored as "" (and "" in a
# filter means "any").
RAG_NOT_RATED = "not_rated"


class Organisation(models.TextChoices):
    UNKNOWN = "", "Not recorded"
    COUNCIL = "council", "Council"
    ICB = "icb", "NHS Integrated Care Board"
    PROVIDER = "provider", "Health or care provider"
    SCHOOLS = "schools", "Schools and settings"
    PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
    OTHER = "other", "Other"
