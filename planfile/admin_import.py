"""The admin's import of an action plan: upload, preview, confirm.

The preview is a dry run of the same ``plan_import`` the command uses. The uploaded file
waits for the confirm in the upload store (sendplan.uploads), and the confirm applies the
file only if it would do exactly what the preview showed; otherwise it shows the new
preview instead.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from actions.deadlines import parse_deadline
from actions.owner_names import OwnerDirectory, known_role_for
from priorities.models import LocalArea, Strategy
from sendplan.roles import PLAN_EDITING, within_areas
from sendplan.uploads import upload_discard, upload_keep, upload_read

from .forms import PlanImportConfirmForm, PlanImportForm
from .importer import ImportReport, PlanImportError, plan_import, sheet_limits
from .layout import read_plan
from .reader import PlanFileError, PlanReadFault

UPLOAD_FOLDER = "plan-imports"


def report_fingerprint(report: ImportReport) -> str:
    """A digest of everything the import would write, to check the confirm matches the preview."""
    content = {
        "area": report.area_created,
        "strategy": report.strategy_created,
        "owners": report.owners_created,
        **{
            kind: [(item.reference, item.text, repr(item.changes)) for item in items]
            for kind, items in (
                ("priorities_created", report.priorities_created),
                ("priorities_updated", report.priorities_updated),
                ("actions_created", report.actions_created),
                ("actions_updated", report.actions_updated),
            )
        },
    }
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


@dataclass
class OwnerAsParsed:
    written: str
    # The owner's name, as stored or as it will be created.
    name: str
    new: bool


@dataclass
class ActionAsRead:
    """One action row as the import reads it: owners as split, the due date from the words."""

    row_number: int
    reference: str
    owners: list[OwnerAsParsed]
    deadline_text: str
    due_date: datetime.date | None
    is_ongoing: bool


def actions_as_read(user, area_name: str, file_name: str, data: bytes):
    """(every action row as read, warnings about new owners that look like existing ones).

    The same reading the import does, shown so the admin can check the splitting of
    "By whom" and the due date derived from "By when" before confirming.
    """
    # Another area's owners are not the user's to see: its name reads as a new area.
    known = within_areas(user, LocalArea.objects.filter(name=area_name), PLAN_EDITING).first()
    area = known or LocalArea(name=area_name)
    directory = OwnerDirectory(area)
    try:
        rows = read_plan(
            file_name, data, known_owner_names=directory.spellings(), limits=sheet_limits()
        )
    except (PlanFileError, PlanReadFault):
        # The dry run's report already shows why.
        return [], []
    read, warnings, warned = [], [], set()
    positions: dict[int, int] = {}
    for row in rows:
        position = positions[row.priority_number] = positions.get(row.priority_number, 0) + 1
        owners = []
        for written in row.owners:
            owner = directory.find(written)
            if owner is not None:
                owners.append(OwnerAsParsed(written, owner.name, new=False))
                continue
            known = known_role_for(written)
            name = known[0] if known else " ".join(written.split())
            owners.append(OwnerAsParsed(written, name, new=True))
            similar = directory.lookalike(name)
            if similar is not None and name not in warned:
                warned.add(name)
                warnings.append(
                    f"Row {row.row_number}: “{name}” would be a new owner, but looks like "
                    f"the existing owner “{similar.name}”. If it is the same role, add "
                    f"“{name}” to that owner's aliases (or merge them) before importing."
                )
        deadline = parse_deadline(row.deadline_text)
        read.append(
            ActionAsRead(
                row_number=row.row_number,
                reference=row.reference or f"{row.priority_number}.{position}",
                owners=owners,
                deadline_text=row.deadline_text,
                due_date=deadline.due_date,
                is_ongoing=deadline.is_ongoing,
            )
        )
    return read, warnings


def import_plan_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import an action plan",
    }
    if request.method != "POST":
        form = PlanImportForm(
            initial=_initial_for(request.user, request.GET.get("strategy", "")), user=request.user
        )
    elif "confirm" in request.POST:
        return _confirm(request, context)
    else:
        form = PlanImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            return _preview(request, context, form)
    return TemplateResponse(request, "admin/planfile/import_plan.html", {**context, "form": form})


def _initial_for(user, strategy_id: str) -> dict:
    """Area and strategy prefilled when the admin came from a strategy's page."""
    if not strategy_id.isdigit():
        return {}
    strategies = within_areas(user, Strategy.objects.select_related("area"), PLAN_EDITING)
    strategy = strategies.filter(pk=strategy_id).first()
    return {"area": strategy.area.name, "strategy": strategy.title} if strategy else {}


def _preview(request, context, form):
    upload = form.cleaned_data["plan_file"]
    data = upload.read()
    area, strategy = form.cleaned_data["area"], form.cleaned_data["strategy"]
    report, errors = _dry_run(request, area, strategy, upload.name, data)
    confirm = None
    if not errors:
        confirm = PlanImportConfirmForm(
            initial={
                "area": area,
                "strategy": strategy,
                "upload_id": upload_keep(UPLOAD_FOLDER, upload.name, data),
                "file_name": upload.name,
                "fingerprint": report_fingerprint(report),
            }
        )
    return _preview_response(request, context, report, errors, confirm, (area, upload.name, data))


def _preview_response(request, context, report, errors, confirm_form, upload):
    """``upload``: (area name, file name, file contents), read again to show each action."""
    actions, owner_warnings = actions_as_read(request.user, *upload)
    return TemplateResponse(
        request,
        "admin/planfile/import_preview.html",
        {
            **context,
            "title": "Check the import",
            "report": report,
            "errors": errors,
            "confirm_form": confirm_form,
            "actions_as_read": actions,
            "owner_warnings": owner_warnings,
        },
    )


def _dry_run(request, area, strategy, file_name, data):
    try:
        return plan_import(
            area_name=area,
            strategy_title=strategy,
            file_name=file_name,
            data=data,
            user=request.user,
            dry_run=True,
        ), []
    except PlanImportError as error:
        return error.report, error.errors


def _confirm(request, context):
    form = PlanImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The preview has expired or was altered. Upload the file again.")
        return redirect("admin:priorities_strategy_import_plan")
    upload_id, file_name = form.cleaned_data["upload_id"], form.cleaned_data["file_name"]
    data = upload_read(UPLOAD_FOLDER, upload_id, file_name)
    if data is None:
        messages.error(request, "The uploaded file is no longer kept. Upload it again.")
        return redirect("admin:priorities_strategy_import_plan")
    area, strategy = form.cleaned_data["area"], form.cleaned_data["strategy"]
    with transaction.atomic():
        try:
            report = plan_import(
                area_name=area,
                strategy_title=strategy,
                file_name=file_name,
                data=data,
                user=request.user,
            )
        except PlanImportError as error:
            report, errors = error.report, error.errors
        else:
            errors = []
        changed = errors or report_fingerprint(report) != form.cleaned_data["fingerprint"]
        if changed:
            # The plan changed since the preview: undo, and show what it would do now.
            transaction.set_rollback(True)
    if changed:
        messages.warning(
            request,
            "The plan has changed since your preview, so nothing was imported. "
            "Check this new preview and confirm again.",
        )
        confirm = None
        if not errors:
            confirm = PlanImportConfirmForm(
                initial={**form.cleaned_data, "fingerprint": report_fingerprint(report)}
            )
        # Read again outside the rolled-back transaction, which runs no more queries.
        return _preview_response(request, context, report, errors, confirm, (area, file_name, data))
    upload_discard(UPLOAD_FOLDER, upload_id, file_name)
    for line in report.summary_lines():
        messages.success(request, line)
    imported = Strategy.objects.get(area__name=area, title=strategy)
    return redirect(
        f"{reverse('admin:actions_action_changelist')}?priority__strategy__id__exact={imported.pk}"
    )
