"""Forms of the officer and board pages. Messages follow the GOV.UK style: say what to do."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from .choices import RAG_NOT_RATED, Rag, Status
from .models import Owner

PERCENT_MESSAGE = "Enter percent complete as a whole number from 0 to 100, like 40."
STALE_DAYS_MESSAGE = "Enter a number of days from 1 to 3650, like 60."


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
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


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
