import datetime

from django import forms

from actions.choices import Rag, Status
from actions.models import Action, Owner
from priorities.models import Priority

from .choices import DecisionStatus, EngagementGroup, EngagementMethod, InvolvementLevel
from .models import ENGAGEMENT_PUBLIC_FIELDS, Board, Engagement, Meeting
from .selectors import meeting_priorities, meeting_scope
from .services import FollowUp


class ReviewForm(forms.Form):
    """What the board said about one action or a whole priority of the meeting's plan."""

    subject = forms.ChoiceField(
        label="What did the board review?",
        help_text="An action, or a priority as a whole.",
        error_messages={"required": "Choose the action or priority the board reviewed."},
    )
    rag = forms.ChoiceField(
        label="Board's RAG rating",
        choices=[(Rag.RED, "Red"), (Rag.AMBER, "Amber"), (Rag.GREEN, "Green"), ("", "Not rated")],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendation = forms.CharField(
        label="Recommendation or decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Where the review service's errors show: its rules on the subject show on the subject.
    SERVICE_FIELDS = {"priority": "subject", "action": "subject", "comment": "comment"}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = {p.pk: p for p in meeting_priorities(meeting)}
        actions = Action.objects.filter(meeting_scope(meeting)).select_related("priority")
        self.actions = {action.pk: action for action in actions}
        groups = []
        for priority in self.priorities.values():
            options = [(f"priority-{priority.pk}", f"Priority {priority.number} as a whole")]
            options += [
                (
                    f"action-{action.pk}",
                    f"{action.reference} {action.text} ({Status(action.status).label})",
                )
                for action in self.actions.values()
                if action.priority_id == priority.pk
            ]
            groups.append((f"Priority {priority.number}: {_short(priority.title)}", options))
        self.fields["subject"].choices = [("", "Choose an action or priority"), *groups]

    def clean_subject(self) -> str:
        kind, _, pk = self.cleaned_data["subject"].partition("-")
        if kind == "action":
            self.action = self.actions[int(pk)]
            self.priority = self.action.priority
        else:
            self.action = None
            self.priority = self.priorities[int(pk)]
        return self.cleaned_data["subject"]


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else f"{text[:length].rstrip()}…"


def _date_part(label: str, lowest: int, highest: int) -> forms.IntegerField:
    message = f"The due date's {label.lower()} must be a number from {lowest} to {highest}."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=lowest,
        max_value=highest,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class FollowUpForm(forms.Form):
    """A follow-up action: all of text, owner and due date, or nothing at all."""

    text = forms.CharField(label="Action", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Owner.objects.none(), required=False, empty_label="Choose an owner"
    )
    due_day = _date_part("Day", 1, 31)
    due_month = _date_part("Month", 1, 12)
    due_year = _date_part("Year", 2000, 2100)

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Owner.objects.filter(area=area)
        self.follow_up: FollowUp | None = None

    @property
    def due_errors(self) -> list[str]:
        return [e for name in ("due_day", "due_month", "due_year") for e in self[name].errors]

    def clean(self):
        data = super().clean()
        parts = [data.get(name) for name in ("due_day", "due_month", "due_year")]
        given = [data.get("text", "").strip(), data.get("owner"), *parts]
        if self.errors or not any(given):
            return data
        if not given[0]:
            self.add_error("text", "Enter what the follow-up action is.")
        if not given[1]:
            self.add_error("owner", "Choose who owns the follow-up action.")
        due = _date(*parts)
        if due is None:
            self.add_error("due_day", "Enter the due date as a real date, like 31 3 2027.")
        if not self.errors:
            self.follow_up = FollowUp(text=given[0], owner_name=data["owner"].name, due_date=due)
        return data


def _date(day, month, year) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        return None


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=2, max_num=5)


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label="Search decisions", required=False)
    area = forms.ChoiceField(label="Local area", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *DecisionStatus.choices]
    )
    key = forms.ChoiceField(
        label="Key decision",
        required=False,
        choices=[("", "Key or not"), ("yes", "Key decisions"), ("no", "Not key decisions")],
    )
    delegated_by = forms.ModelChoiceField(
        label="Delegated by",
        required=False,
        queryset=Board.objects.select_related("area"),
        empty_label="Any body",
    )

    def __init__(self, *args, areas, **kwargs):
        """``areas``: the user's local areas, whose boards are the only ones offered."""
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas"), *((a.pk, a.name) for a in areas)]
        self.fields["delegated_by"].queryset = Board.objects.select_related("area").filter(
            area__in=areas
        )


class EngagementForm(forms.ModelForm):
    """An engagement with families or partners, and what it changed, for one plan."""

    groups = forms.MultipleChoiceField(
        label="Who took part",
        choices=EngagementGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one group that took part."},
    )
    date = forms.DateField(
        label="Date",
        help_text="When it took place, or when it closed.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Priorities it shaped",
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.ModelMultipleChoiceField(
        label="Actions it shaped",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Engagement
        fields = [*ENGAGEMENT_PUBLIC_FIELDS, "internal_notes", "priorities", "actions"]
        widgets = {
            "method": forms.RadioSelect,
            "level": forms.RadioSelect,
            "you_said": forms.Textarea(attrs={"rows": 4}),
            "we_did": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "you_said": "In plain words, for the public page once approved.",
            "we_did": "In plain words, for the public page once approved.",
        }
        error_messages = {
            "title": {"required": "Enter a title."},
            "method": {"required": "Choose how people took part."},
            "level": {"required": "Choose the level of involvement."},
            "you_said": {"required": "Enter what people said."},
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["method"].choices = EngagementMethod.choices
        self.fields["level"].choices = InvolvementLevel.choices
        self.fields["priorities"].queryset = Priority.objects.filter(strategy=strategy)
        self.fields["actions"].queryset = Action.objects.filter(
            priority__strategy=strategy
        ).select_related("priority")
        self.fields["priorities"].label_from_instance = lambda p: f"{p.number}. {_short(p.title)}"
        self.fields["actions"].label_from_instance = lambda a: f"{a.reference} {_short(a.text)}"


class RoundStartForm(forms.Form):
    deadline = forms.DateField(
        label="Deadline for owners' updates",
        help_text="Owners are asked to update their actions by this day.",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "Enter the deadline.", "invalid": "Enter a real date."},
    )
    actions = forms.TypedMultipleChoiceField(
        label="Actions the round covers",
        help_text="Every open action of the plan, unless you untick some.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one action for the round to cover."},
    )

    def __init__(self, *args, plan_actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_actions = {action.pk: action for action in plan_actions}
        self.fields["actions"].choices = [
            (action.pk, f"{action.reference} {action.text}") for action in plan_actions
        ]

    def chosen_actions(self) -> list:
        return [self.plan_actions[pk] for pk in self.cleaned_data["actions"]]
