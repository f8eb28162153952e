"""The admin's import of a values file: upload, preview, confirm, as for the action plan.

The preview is a dry run of ``values_import``; the file waits for the confirm
(sendplan.uploads), which applies it only if it would do exactly what the preview showed.
A DfE tidy file's preview also offers its indicator columns and filter rows to choose from,
and previews again with the choice.
"""

import hashlib
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from priorities.models import Strategy
from sendplan.roles import get_in_areas_or_404, within_areas
from sendplan.uploads import upload_discard, upload_keep, upload_read

from .importer import TidyChoices, ValuesImportError, ValuesImportReport, values_import
from .models import Measure
from .values_file import ValuesFileError, read_values

UPLOAD_FOLDER = "measure-imports"
# Values are imported in the areas where the user's role manages measures.
MANAGING = "measures.change_measure"


class ValuesImportForm(forms.Form):
    strategy = forms.ModelChoiceField(
        label="Plan", queryset=Strategy.objects.select_related("area")
    )
    measure = forms.ModelChoiceField(
        label="Measure (for a file with a column per period)",
        queryset=Measure.objects.select_related("strategy"),
        required=False,
        help_text="A file with a measure column names its own measures: leave this empty.",
    )
    values_file = forms.FileField(
        label="Values file",
        help_text="An Excel workbook (.xlsx) or CSV, up to "
        f"{settings.SENDPLAN_MAX_IMPORT_BYTES / 2**20:.1f} MB.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("strategy", "measure"):
            self.fields[name].queryset = within_areas(user, self.fields[name].queryset, MANAGING)

    def clean_values_file(self):
        upload = self.cleaned_data["values_file"]
        if upload.size > settings.SENDPLAN_MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"{upload.name} is over the import limit.")
        return upload

    def clean(self):
        data = super().clean()
        if (
            data.get("measure")
            and data.get("strategy")
            and data["measure"].strategy_id != data["strategy"].pk
        ):
            self.add_error("measure", "Choose a measure of this plan.")
        return data


class KeptUploadForm(forms.Form):
    """The plan, the measure and the kept file of a preview, carried to the next step."""

    strategy = forms.IntegerField(widget=forms.HiddenInput)
    measure = forms.IntegerField(widget=forms.HiddenInput, required=False)
    upload_id = forms.UUIDField(widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)


class ValuesConfirmForm(KeptUploadForm):
    column = forms.CharField(max_length=100, widget=forms.HiddenInput, required=False)
    filters = forms.JSONField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def clean_filters(self):
        filters = self.cleaned_data["filters"] or {}
        if not (
            isinstance(filters, dict)
            and all(isinstance(v, str) and isinstance(k, str) for k, v in filters.items())
        ):
            raise forms.ValidationError("Not a set of filters.")
        return filters


class TidyChoiceForm(KeptUploadForm):
    """Which of a DfE tidy file's figures to read: an indicator column and, for each filter
    column, its rows (by default its total rows)."""

    column = forms.ChoiceField(label="Indicator column")

    def __init__(self, *args, tidy: TidyChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "Choose the column to read")] + [
            (name, name) for name in tidy.indicators
        ]
        self.filter_names = list(tidy.filters)
        for position, (name, values) in enumerate(tidy.filters.items()):
            total = tidy.totals.get(name)
            self.fields[f"filter_{position}"] = forms.ChoiceField(
                label=name,
                required=False,
                choices=[("", f"Its total rows ({total})" if total else "Its total rows")]
                + [(value, value) for value in values],
            )

    def chosen_filters(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"filter_{position}"]
            for position, name in enumerate(self.filter_names)
            if self.cleaned_data.get(f"filter_{position}")
        }

    @classmethod
    def initial_for(cls, kept: dict, tidy: TidyChoices) -> dict:
        return {
            **kept,
            "column": tidy.column,
            **{
                f"filter_{position}": tidy.chosen.get(name, "")
                for position, name in enumerate(tidy.filters)
            },
        }


def fingerprint(report: ValuesImportReport) -> str:
    content = [
        report.layout,
        report.created,
        report.updated,
        report.unmatched,
        report.suppressed,
    ]
    return hashlib.sha256(json.dumps(content, default=repr).encode()).hexdigest()


def import_values_view(model_admin, request):
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import measure values",
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    if request.method == "POST" and "choose" in request.POST:
        return _choose(request, context)
    form = ValuesImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["values_file"]
        data = upload.read()
        strategy, measure = form.cleaned_data["strategy"], form.cleaned_data["measure"]
        report, errors = _run(request, strategy, measure, upload.name, data, dry_run=True)
        kept = None
        if not errors or report.tidy:  # a tidy file waits for its choice of figures too
            kept = {
                "strategy": strategy.pk,
                "measure": measure.pk if measure else None,
                "upload_id": upload_keep(UPLOAD_FOLDER, upload.name, data),
                "file_name": upload.name,
            }
        return _preview(request, context, report, errors, kept)
    return TemplateResponse(request, "admin/measures/import_values.html", {**context, "form": form})


def _run(request, strategy, measure, file_name, data, *, dry_run: bool, column="", filters=None):
    try:
        report = values_import(
            strategy=strategy,
            measure=measure,
            file_name=file_name,
            data=data,
            user=request.user,
            column=column,
            filters=filters,
            dry_run=dry_run,
        )
        return report, []
    except ValuesImportError as error:
        return error.report, error.errors


def _preview(request, context, report, errors, kept):
    """The preview; ``kept`` (the kept file's KeptUploadForm data) offers the next steps."""
    confirm = choice = None
    if kept and not errors:
        tidy = report.tidy
        confirm = ValuesConfirmForm(
            initial={
                **kept,
                "column": tidy.column if tidy else "",
                "filters": tidy.chosen if tidy else {},
                "fingerprint": fingerprint(report),
            }
        )
    if kept and report.tidy:
        choice = TidyChoiceForm(
            initial=TidyChoiceForm.initial_for(kept, report.tidy), tidy=report.tidy
        )
    return TemplateResponse(
        request,
        "admin/measures/import_values_preview.html",
        {
            **context,
            "title": "Check the import",
            "report": report,
            "errors": errors,
            "confirm_form": confirm,
            "choice_form": choice,
        },
    )


def _kept(request, data):
    """The plan, measure and content of a kept upload, or None when it is no longer kept."""
    content = upload_read(UPLOAD_FOLDER, data["upload_id"], data["file_name"])
    if content is None:
        return None
    strategy = get_in_areas_or_404(request.user, Strategy, perm=MANAGING, pk=data["strategy"])
    measure = (
        get_in_areas_or_404(
            request.user, Measure, perm=MANAGING, pk=data["measure"], strategy=strategy
        )
        if data["measure"]
        else None
    )
    return strategy, measure, content


def _choose(request, context):
    kept_form = KeptUploadForm(request.POST)
    back = "admin:measures_measure_import_values"
    kept = _kept(request, kept_form.cleaned_data) if kept_form.is_valid() else None
    if kept is None:
        messages.error(request, "The uploaded file is no longer kept. Upload it again.")
        return redirect(back)
    strategy, measure, content = kept
    name = kept_form.cleaned_data["file_name"]
    try:
        table = read_values(name, content).tidy
    except ValuesFileError:
        table = None
    if table is None:  # read as a tidy file for the preview: altered since
        messages.error(request, "The preview has expired or was altered. Upload the file again.")
        return redirect(back)
    form = TidyChoiceForm(request.POST, tidy=TidyChoices(table.indicators, table.filters))
    if not form.is_valid():
        report = ValuesImportReport(name, "tidy", tidy=TidyChoices(table.indicators, table.filters))
        return _preview(request, context, report, [*_form_errors(form)], kept_form.cleaned_data)
    report, errors = _run(
        request,
        strategy,
        measure,
        name,
        content,
        dry_run=True,
        column=form.cleaned_data["column"],
        filters=form.chosen_filters(),
    )
    return _preview(request, context, report, errors, kept_form.cleaned_data)


def _form_errors(form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            yield f"{label}: {error}" if label else error


def _confirm(request, context):
    form = ValuesConfirmForm(request.POST)
    back = "admin:measures_measure_import_values"
    if not form.is_valid():
        messages.error(request, "The preview has expired or was altered. Upload the file again.")
        return redirect(back)
    data = form.cleaned_data
    kept = _kept(request, data)
    if kept is None:
        messages.error(request, "The uploaded file is no longer kept. Upload it again.")
        return redirect(back)
    strategy, measure, content = kept
    choice = {"column": data["column"], "filters": data["filters"]}
    with transaction.atomic():
        report, errors = _run(
            request, strategy, measure, data["file_name"], content, dry_run=False, **choice
        )
        if errors or fingerprint(report) != data["fingerprint"]:
            transaction.set_rollback(True)
            messages.warning(
                request,
                "The values have changed since your preview, so nothing was imported. "
                "Check this new preview and confirm again.",
            )
            kept_data = {name: data[name] for name in KeptUploadForm.base_fields}
            return _preview(request, context, report, errors, kept_data)
    upload_discard(UPLOAD_FOLDER, data["upload_id"], data["file_name"])
    for line in report.summary_lines():
        messages.success(request, line)
    return redirect("measures:list", pk=strategy.pk)
