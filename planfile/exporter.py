"""The action plan as a spreadsheet: the import's layout plus progress columns.

An exported xlsx or csv file re-imports with no changes, and an admin may edit it and
re-import it to apply just those edits. Cells a spreadsheet would run as a formula are
written so that it does not; the importer reads them back as the plain text they were.
The xlsx file is for reading too: numbers and dates typed as such, a bold frozen header row
with a filter, set column widths, and each RAG cell filled in its colour beside its word.

export_plan writes csv and xlsx from the queryset's values, a few queries for any number
of actions; the admin's list export (import-export's ExportMixin) passes PlanResource's
dataset to the same writers.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.db.models import OuterRef, Subquery
from import_export import fields, resources
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter

from actions.choices import RAG_FILLS, Rag, Status
from actions.models import Action, ActionOwner, ProgressUpdate
from sendplan.spreadsheets import FORMULA_STARTS, escape_formula, text_cell

# Column titles the plan reader recognises (see layout.HEADER_NAMES).
COLUMNS = {
    "priority_number": "No",
    "priority_title": "Priority",
    "reference": "Ref",
    "text": "Actions",
    "owners": "By whom",
    "deadline_text": "By When",
    # The date the deadline gives; the importer reads "By When" and ignores this column.
    "due_date": "Due date",
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
    due_date = fields.Field(attribute="due_date", column_name=COLUMNS["due_date"])
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


def _last_update(at: datetime.datetime | None, note: str | None) -> str:
    return "" if at is None else f"{at:%d %b %Y}: {note}"


def plan_rows(queryset) -> Iterable[list]:
    """The export's rows, in COLUMNS order, read as values rather than model instances: the
    actions, their owners and their newest progress updates, a query each."""
    actions = queryset.order_by("priority__number", "order", "reference").values_list(
        "pk",
        "priority__number",
        "priority__title",
        "reference",
        "text",
        "deadline_text",
        "due_date",
        "status",
        "rag",
        "percent_complete",
    )
    in_export = queryset.values("pk")
    owners: dict[int, list[str]] = {}
    for action_id, name in (
        ActionOwner.objects.filter(action__in=in_export)
        .order_by("action_id", "order")
        .values_list("action_id", "owner__name")
    ):
        owners.setdefault(action_id, []).append(name)
    # Oldest first, so each action's newest update is the one left.
    newest = {
        action_id: _last_update(at, note)
        for action_id, at, note in ProgressUpdate.objects.filter(action__in=in_export)
        .order_by("action_id", "created_at")
        .values_list("action_id", "created_at", "note")
    }
    status_labels, rag_labels = dict(Status.choices), dict(Rag.choices)
    for pk, number, title, ref, text, deadline, due, status, rag, percent in actions:
        yield [
            number,
            title,
            ref,
            text,
            # In the order "By whom" named them, so a re-import sees no change.
            "/".join(owners.get(pk, ())),
            deadline,
            due,
            status_labels[status],
            rag_labels[rag],
            percent,
            newest.get(pk, ""),
        ]


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(value) for value in row])
    return out.getvalue()


WIDTHS = [5, 40, 7, 70, 35, 18, 12, 13, 11, 11, 40]
RAG_COLUMN = list(COLUMNS).index("rag")
PERCENT_COLUMN = list(COLUMNS).index("percent_complete")
DATE_FORMAT = "d mmm yyyy"


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    # Write-only: rows stream to the file instead of building every cell in memory. Most
    # cells are plain values; a cell object is made only where a cell needs a type or style.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Action plan")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, title, font=bold) for title in headers])
    fills = {
        label: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        for label, colour in RAG_FILLS.items()
    }
    count = 0
    for row in rows:
        cells = list(row)
        for index, value in enumerate(cells):
            if isinstance(value, str):
                if value.startswith(FORMULA_STARTS):
                    cells[index] = text_cell(sheet, value)
            elif isinstance(value, datetime.date):
                cells[index] = cell = WriteOnlyCell(sheet, value)
                cell.number_format = DATE_FORMAT
        if (fill := fills.get(cells[RAG_COLUMN])) is not None:
            cells[RAG_COLUMN] = cell = WriteOnlyCell(sheet, cells[RAG_COLUMN])
            cell.fill = fill
        if isinstance(percent := cells[PERCENT_COLUMN], int):
            # A fraction shown as a percentage, which reads back as "40%".
            cells[PERCENT_COLUMN] = cell = WriteOnlyCell(sheet, percent / 100)
            cell.number_format = "0%"
        sheet.append(cells)
        count += 1
    sheet.auto_filter = AutoFilter(ref=f"A1:{get_column_letter(len(headers))}{count + 1}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class PlanCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers, dataset)


class PlanXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset.headers, dataset)


class PlanJSON(base_formats.JSON):
    """JSON is data, not a spreadsheet: written as it is."""


PLAN_FORMATS = {"xlsx": PlanXLSX, "csv": PlanCSV, "json": PlanJSON}


def export_plan(queryset, file_format: str) -> bytes:
    """The actions as a file in the format named (xlsx, csv or json)."""
    headers = list(COLUMNS.values())
    if file_format == "xlsx":
        return write_xlsx(headers, plan_rows(queryset))
    if file_format == "csv":
        data = write_csv(headers, plan_rows(queryset))
    else:
        data = PLAN_FORMATS[file_format]().export_data(PlanResource().export(queryset=queryset))
    if isinstance(data, bytes):
        return data
    # A byte order mark makes Excel read a CSV as UTF-8 rather than the local code page.
    return data.encode("utf-8-sig" if file_format == "csv" else "utf-8")
