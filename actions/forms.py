"""Forms of the officer and board pages. Messages follow the GOV.UK style: say what to do."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from priorities.models import Strategy

from .choices import RAG_NOT_RATED, Rag, Status
from .models import Owner

PERCENT_MESSAGE = "Enter percent complete as a whole number from 0 to 100, like 40."
STALE_DAYS_MESSAGE = "Enter a number of days from 1 to 3650, like 60."
DATE_MESSAGE = "Enter {what} as day, month and year, like 31/3/2027."
# Typed dates: day/month/year as people write them, or ISO.
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


def _date_input():
    # ISO format, which is what <input type="date"> sends and expects.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ProgressForm(forms.Form):
    """An officer's update of one action; the service decides whether a note is needed."""

    status = forms.ChoiceField(
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the action's status.",
            "invalid_choice": "Select one of the statuses listed.",
        },
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select red, amber, green or not rated."},
    )
    percent_complete = forms.IntegerField(
        label="Percent complete",
        min_value=0,
        max_value=100,
        error_messages={
            "required": PERCENT_MESSAGE,
            "invalid": PERCENT_MESSAGE,
            "min_value": PERCENT_MESSAGE,
            "max_value": PERCENT_MESSAGE,
        },
    )
    note = forms.CharField(
        label="Progress note",
        help_text="What has happened and what happens next. "
        "You must add a note if you change the status or RAG rating.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    new_due_date = forms.DateField(
        label="New due date",
        help_text="Only if the action cannot be done by its due date. For example, 31/3/2027.",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_MESSAGE.format(what="the new due date")},
    )
    due_date_reason = forms.CharField(
        label="Why the due date needs to move",
        help_text="The board sees this beside the change. The original due date is kept.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    milestones_done = forms.TypedMultipleChoiceField(
        label="Milestones done",
        help_text="Tick the milestones that are done.",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only the milestones listed."},
    )
    new_milestone = forms.CharField(
        label="Add a milestone",
        help_text="A step on the way, like “Survey sent to all schools”.",
        required=False,
        max_length=1000,
    )
    new_milestone_due = forms.DateField(
        label="Milestone due date (optional)",
        help_text="For example, 31/1/2027.",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_MESSAGE.format(what="the milestone's due date")},
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["milestones_done"].choices = [
            (milestone.pk, milestone_label(milestone)) for milestone in action.milestones.all()
        ]

    def clean(self):
        data = super().clean()
        new_due_date, reason = data.get("new_due_date"), data.get("due_date_reason", "").strip()
        if new_due_date and not reason:
            self.add_error("due_date_reason", "Give a reason for moving the due date.")
        if reason and not new_due_date and "new_due_date" not in self.errors:
            self.add_error("new_due_date", "Enter the new due date, or leave the reason empty.")
        if new_due_date and new_due_date == self.action.due_date:
            self.add_error("new_due_date", "Enter a date other than the current due date.")
        if data.get("new_milestone_due") and not data.get("new_milestone", "").strip():
            self.add_error("new_milestone", "Enter the milestone, or leave its due date empty.")
        return data


def milestone_label(milestone) -> str:
    if milestone.due_date:
        return f"{milestone.text} (due {milestone.due_date:%-d %B %Y})"
    return milestone.text


class MyActionsFilterForm(forms.Form):
    """My actions' filters, read from the query string: one plan, one status."""

    strategy = forms.ModelChoiceField(
        label="Plan",
        queryset=None,
        required=False,
        empty_label="All plans",
        error_messages={"invalid_choice": "Select one of the plans listed."},
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Select one of the statuses listed."},
    )

    def __init__(self, *args, strategies, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["strategy"]
        # The plans already read, so the choices cost no query of their own.
        field.queryset = Strategy.objects.filter(pk__in=[s.pk for s in strategies])
        field.choices = [("", "All plans"), *((s.pk, s.title) for s in strategies)]


class ActionFilterForm(forms.Form):
    """The action list's filters, read from the query string."""

    priority = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All priorities",
        error_messages={"invalid_choice": "Select one of the priorities listed."},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All owners",
        error_messages={"invalid_choice": "Select one of the owners listed."},
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Select one of the statuses listed."},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[
            ("", "Any RAG rating"),
            *[(rag.value, rag.label) for rag in Rag if rag],
            (RAG_NOT_RATED, Rag.NOT_RATED.label),
        ],
        required=False,
        error_messages={"invalid_choice": "Select one of the RAG ratings listed."},
    )
    overdue = forms.BooleanField(label="Overdue", required=False)
    due_soon = forms.BooleanField(required=False)
    stale = forms.BooleanField(required=False)
    stale_days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.HiddenInput,
        error_messages={key: STALE_DAYS_MESSAGE for key in ("invalid", "min_value", "max_value")},
    )
    due_before = forms.DateField(
        label="Due before",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Enter the date as day, month and year, like 31/3/2026."},
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = strategy.priorities.order_by("order", "number")
        self.fields["priority"].label_from_instance = lambda p: f"{p.number}. {p.title}"
        self.fields["owner"].queryset = Owner.objects.filter(
            pk__in=Owner.objects.filter(actions__priority__strategy=strategy).values("pk")
        ).order_by("name")
        self.fields["due_soon"].label = f"Due in the next {settings.SENDPLAN_DUE_SOON_DAYS} days"
        stale_days = self.data.get("stale_days", "")
        if not stale_days.isdigit():
            stale_days = settings.SENDPLAN_STALE_AFTER_DAYS
        self.fields["stale"].label = f"No progress update for {stale_days} days"


class StaleDaysForm(forms.Form):
    stale_days = forms.IntegerField(
        label="Count an open action as stale after this many days without a progress update",
        min_value=1,
        max_value=3650,
        required=False,
        error_messages={key: STALE_DAYS_MESSAGE for key in ("invalid", "min_value", "max_value")},
    )

    def stale_days_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data["stale_days"]:
            return self.cleaned_data["stale_days"]
        return settings.SENDPLAN_STALE_AFTER_DAYS


class SinceForm(forms.Form):
    since = forms.DateField(
        label="Show changes since",
        help_text="For example, the date of the last board meeting.",
        widget=_date_input(),
        error_messages={
            "required": "Enter the date to show changes since.",
            "invalid": "Enter the date as day, month and year, like 31/3/2026.",
        },
    )

    DEFAULT_DAYS = 30

    @classmethod
    def default_since(cls) -> datetime.date:
        return timezone.localdate() - datetime.timedelta(days=cls.DEFAULT_DAYS)

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past.")
        return since
