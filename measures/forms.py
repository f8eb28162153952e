from django import forms

from .periods import period_end


class ValueForm(forms.Form):
    period_label = forms.CharField(
        label="Period",
        max_length=50,
        help_text='As people say it, for example "2024", "Q2 2024-25" or "Spring term 2025".',
        error_messages={"required": "Enter the period the value is for."},
    )
    period_end = forms.DateField(
        label="Last day of the period (if the period does not say it)",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example 31/03/2025.",
        error_messages={"invalid": "Enter the last day of the period as a date, like 31/03/2025."},
    )
    value = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        # GOV.UK advises a text input: a number input changes the value on scrolling.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the value.",
            "invalid": "Enter the value as a number, like 58.3.",
        },
    )
    is_provisional = forms.BooleanField(label="This value is provisional", required=False)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the figure comes from; needed when you correct a value.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("period_label")
            and not data.get("period_end")
            and "period_end" not in self.errors
        ):
            day = period_end(data["period_label"])
            if day is None:
                self.add_error(
                    "period_end",
                    f"Enter the last day of the period: “{data['period_label']}” does not say it.",
                )
            data["period_end"] = day
        return data


class SinceForm(forms.Form):
    since = forms.DateField(
        label="Compare with the value known on",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example 06/09/2026: the date of the board's previous meeting.",
        error_messages={"invalid": "Enter the date as day/month/year, like 06/09/2026."},
    )
