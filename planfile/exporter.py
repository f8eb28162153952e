"""The action plan as a spreadsheet: the import's layout plus progress columns.

An exported xlsx or csv file re-imports with no changes, and an admin may edit it and
re-import it to apply just those edits. Cells a spreadsheet would run as a formula are
written so that it does not; the importer reads them back as the plain text they were.
"""

import csv
import io

from django.db.models import OuterRef, Subquery
from import_export import fields, resources
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from actions.choices import Rag, Status
from actions.models import Action, ProgressUpdate
from sendplan.spreadsheets import escape_formula, text_cell

# Column titles the plan reader recognises (see layout.HEADER_NAMES).
COLUMNS = {
    "priority_number": "No",
    "priority_title": "Priority",
    "reference": "Ref",
    "text": "Actions",
    "owners": "By whom",
    "deadline_text": "By When",
    "status": "Status",
    "rag": "RAG",
    "percent_complete": "% complete",
    "last_update": "Last update",
}


def actions_for_export(queryset):
    """Everything an export row needs, in a fixed number of queries."""
    newest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    return (
        queryset.select_related("priority")
        .prefetch_related("ownerships__owner")
        .annotate(
            last_update_at=Subquery(newest.values("created_at")[:1]),
            last_update_note=Subquery(newest.values("note")[:1]),
        )
        .order_by("priority__number", "order", "reference")
    )


class PlanResource(resources.ModelResource):
    priority_number = fields.Field(
        attribute="priority__number", column_name=COLUMNS["priority_number"]
    )
    priority_title = fields.Field(
        attribute="priority__title", column_name=COLUMNS["priority_title"]
    )
    reference = fields.Field(attribute="reference", column_name=COLUMNS["reference"])
    text = fields.Field(attribute="text", column_name=COLUMNS["text"])
    owners = fields.Field(column_name=COLUMNS["owners"])
    deadline_text = fields.Field(attribute="deadline_text", column_name=COLUMNS["deadline_text"])
    status = fields.Field(column_name=COLUMNS["status"])
    rag = fields.Field(column_name=COLUMNS["rag"])
    percent_complete = fields.Field(
        attribute="percent_complete", column_name=COLUMNS["percent_complete"]
    )
    last_update = fields.Field(column_name=COLUMNS["last_update"])

    class Meta:
        model = Action
        fields = list(COLUMNS)
        export_order = list(COLUMNS)

    def filter_export(self, queryset, **kwargs):
        return actions_for_export(queryset)

    def iter_queryset(self, queryset):
        # In chunks with their owners prefetched, not import-export's 100-row offset pages,
        # each of which re-runs the sorted query.
        yield from queryset.iterator(chunk_size=2000)

    def dehydrate_owners(self, action):
        # In the order "By whom" named them, so a re-import sees no change.
        return "/".join(ownership.owner.name for ownership in action.ownerships.all())

    def dehydrate_status(self, action):
        return Status(action.status).label

    def dehydrate_rag(self, action):
        return Rag(action.rag).label

    def dehydrate_last_update(self, action):
        at = getattr(action, "last_update_at", None)
        if at is None:
            return ""
        return f"{at:%d %b %Y}: {action.last_update_note}"


class PlanCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([escape_formula(value) for value in row])
        return out.getvalue()


class PlanXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        # Write-only: rows stream to the file instead of building every cell in memory.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Action plan")
        for letter, width in zip("ABCDEFGHIJ", [5, 40, 7, 70, 35, 18, 13, 9, 11, 40], strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        sheet.append([text_cell(sheet, title, font=bold) for title in dataset.headers])
        for row in dataset:
            sheet.append([text_cell(sheet, value, alignment=wrapped) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


class PlanJSON(base_formats.JSON):
    """JSON is data, not a spreadsheet: written as it is."""


PLAN_FORMATS = {"xlsx": PlanXLSX, "csv": PlanCSV, "json": PlanJSON}


def export_plan(queryset, file_format: str) -> bytes:
    """The actions as a file in the format named (xlsx, csv or json)."""
    output_format = PLAN_FORMATS[file_format]()
    dataset = PlanResource().export(queryset=queryset)
    data = output_format.export_data(dataset)
    if isinstance(data, bytes):
        return data
    # A byte order mark makes Excel read a CSV as UTF-8 rather than the local code page.
    return data.encode("utf-8-sig" if file_format == "csv" else "utf-8")
