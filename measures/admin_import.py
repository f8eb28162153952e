"""The admin's import of a values file: upload, preview, confirm, as for the action plan.

The preview is a dry run of ``values_import``; the file waits for the confirm
(sendplan.uploads), which applies it only if it would do exactly what the preview showed.
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

from .importer import ValuesImportError, ValuesImportReport, values_import
from .models import Measure

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
        label="Values file", help_text="An Excel workbook (.xlsx) or CSV."
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


class ValuesConfirmForm(forms.Form):
    strategy = forms.IntegerField(widget=forms.HiddenInput)
    measure = forms.IntegerField(widget=forms.HiddenInput, required=False)
    upload_id = forms.UUIDField(widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)


def fingerprint(report: ValuesImportReport) -> str:
    content = [report.layout, report.created, report.updated, report.unmatched]
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
    form = ValuesImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["values_file"]
        data = upload.read()
        strategy, measure = form.cleaned_data["strategy"], form.cleaned_data["measure"]
        report, errors = _run(request, strategy, measure, upload.name, data, dry_run=True)
        confirm = None
        if not errors:
            upload_id = upload_keep(UPLOAD_FOLDER, upload.name, data)
            confirm = ValuesConfirmForm(
                initial={
                    "strategy": strategy.pk,
                    "measure": measure.pk if measure else None,
                    "upload_id": upload_id,
                    "file_name": upload.name,
                    "fingerprint": fingerprint(report),
                }
            )
        return _preview(request, context, report, errors, confirm)
    return TemplateResponse(request, "admin/measures/import_values.html", {**context, "form": form})


def _run(request, strategy, measure, file_name, data, *, dry_run: bool):
    try:
        report = values_import(
            strategy=strategy,
            measure=measure,
            file_name=file_name,
            data=data,
            user=request.user,
            dry_run=dry_run,
        )
        return report, []
    except ValuesImportError as error:
        return error.report, error.errors


def _preview(request, context, report, errors, confirm):
    return TemplateResponse(
        request,
        "admin/measures/import_values_preview.html",
        {
            **context,
            "title": "Check the import",
            "report": report,
            "errors": errors,
            "confirm_form": confirm,
        },
    )


def _confirm(request, context):
    form = ValuesConfirmForm(request.POST)
    back = "admin:measures_measure_import_values"
    if not form.is_valid():
        messages.error(request, "The preview has expired or was altered. Upload the file again.")
        return redirect(back)
    data = form.cleaned_data
    content = upload_read(UPLOAD_FOLDER, data["upload_id"], data["file_name"])
    if content is None:
        messages.error(request, "The uploaded file is no longer kept. Upload it again.")
        return redirect(back)
    strategy = get_in_areas_or_404(request.user, Strategy, perm=MANAGING, pk=data["strategy"])
    measure = (
        get_in_areas_or_404(
            request.user, Measure, perm=MANAGING, pk=data["measure"], strategy=strategy
        )
        if data["measure"]
        else None
    )
    with transaction.atomic():
        report, errors = _run(request, strategy, measure, data["file_name"], content, dry_run=False)
        if errors or fingerprint(report) != data["fingerprint"]:
            transaction.set_rollback(True)
            messages.warning(
                request,
                "The values have changed since your preview, so nothing was imported. "
                "Check this new preview and confirm again.",
            )
            confirm = (
                None
                if errors
                else ValuesConfirmForm(initial={**data, "fingerprint": fingerprint(report)})
            )
            return _preview(request, context, report, errors, confirm)
    upload_discard(UPLOAD_FOLDER, data["upload_id"], data["file_name"])
    for line in report.summary_lines():
        messages.success(request, line)
    return redirect("measures:list", pk=strategy.pk)
