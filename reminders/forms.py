from django import forms

from .choices import Cadence


class PreferenceForm(forms.Form):
    cadence = forms.ChoiceField(
        label="How often do you want reminders about your actions?",
        help_text="Reminders of actions due soon, overdue or without a recent update come "
        "together in one e-mail. Update round requests and escalations always come.",
        choices=Cadence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often you want reminders."},
    )


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
