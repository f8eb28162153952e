from django import forms

from .choices import PublicStatus


class PriorityTextForm(forms.Form):
    easy_read = forms.CharField(
        label="Easy-read summary",
        help_text="Short sentences and plain words: what the priority is for and how it goes.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the easy-read summary."},
    )
    summary = forms.CharField(
        label="Progress summary",
        help_text="The fuller account of progress, for the public. No names of staff or children.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ActionTextForm(forms.Form):
    title = forms.CharField(
        label="Public title",
        help_text="What the action does, in plain words, in one sentence.",
        max_length=300,
        error_messages={"required": "Write the public title."},
    )
    status = forms.ChoiceField(
        label="Public status",
        choices=PublicStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the public status."},
    )


class StrategyPublicationForm(forms.Form):
    is_published = forms.BooleanField(label="Publish this strategy's public page", required=False)
    introduction = forms.CharField(
        label="Introduction",
        help_text="Opens the public page: what the strategy is for, in plain words.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
