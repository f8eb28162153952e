from django import forms
from django.conf import settings

from priorities.models import LocalArea, Strategy
from sendplan.roles import PLAN_EDITING, within_areas


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


class PlanImportForm(forms.Form):
    area = forms.CharField(
        label="Local area",
        max_length=100,
        help_text="Pick an existing local area or type the name of a new one.",
    )
    strategy = forms.CharField(
        label="Strategy",
        max_length=200,
        help_text="Pick an existing strategy of that area or type the title of a new one.",
    )
    plan_file = forms.FileField(
        label="Action plan file",
        help_text=(
            "An Excel workbook (.xlsx), CSV, or tab-separated file, up to "
            f"{_megabytes(settings.SENDPLAN_MAX_IMPORT_BYTES)}."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggestions from the user's own areas only: others' names are not theirs to see.
        areas = within_areas(user, LocalArea.objects, PLAN_EDITING)
        self.area_names = list(areas.values_list("name", flat=True))
        self.strategy_titles = list(
            within_areas(user, Strategy.objects.order_by("title"), PLAN_EDITING)
            .values_list("title", flat=True)
            .distinct()
        )

    def clean_area(self):
        return " ".join(self.cleaned_data["area"].split())

    def clean_strategy(self):
        return " ".join(self.cleaned_data["strategy"].split())

    def clean_plan_file(self):
        upload = self.cleaned_data["plan_file"]
        limit = settings.SENDPLAN_MAX_IMPORT_BYTES
        # Refused on its declared size, before a byte of it is parsed.
        if upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {_megabytes(upload.size)}, over the import limit of "
                f"{_megabytes(limit)}. Split the plan, or save it as CSV, which is smaller."
            )
        return upload


class PlanImportConfirmForm(forms.Form):
    """What the preview showed, posted back to apply exactly that."""

    area = forms.CharField(max_length=100, widget=forms.HiddenInput)
    strategy = forms.CharField(max_length=200, widget=forms.HiddenInput)
    upload_id = forms.UUIDField(widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
