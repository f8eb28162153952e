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
