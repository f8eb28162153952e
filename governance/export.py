"""The board pack as an Excel workbook, one sheet per section of the pack.

Text is written as text: a cell starting with "=" stays the words someone typed and never
becomes a formula when the pack is opened. Counts stay numbers, so they can be summed, and
dates are dates, so they sort. Each sheet has a bold, frozen, filtered header, columns
sized to their contents, and RAG cells filled in their colour beside the word.
"""

import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actions.choices import RAG_FILLS, Rag, Status
from measures.export import add_measures_sheet
from sendplan.spreadsheets import text_cell

from .selectors import BoardPack

_FILLS = {
    label: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    for label, colour in RAG_FILLS.items()
}
# Columns no wider than this many characters: long texts wrap in Excel instead.
_MAX_WIDTH = 60


def _cell(sheet: Worksheet, value):
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the area's local time, as the pages show it.
        return timezone.make_naive(timezone.localtime(value))
    if isinstance(value, datetime.date):
        return value
    return text_cell(sheet, str(value))


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list], heading: list[str] = ()
) -> None:
    sheet = workbook.create_sheet(title)
    for line in heading:
        sheet.append([text_cell(sheet, line, font=Font(bold=True))])
    sheet.append([text_cell(sheet, name, font=Font(bold=True)) for name in header])
    header_row = len(heading) + 1
    rag_columns = {index for index, name in enumerate(header) if "RAG" in name}
    widths = [len(name) for name in header]
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_shown(value)))
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for index, cell in enumerate(cells):
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
            elif index in rag_columns and cell.value in _FILLS:
                cell.fill = _FILLS[cell.value]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = f"A{header_row + 1}"
    last = f"{get_column_letter(len(header))}{header_row + len(rows)}"
    sheet.auto_filter.ref = f"A{header_row}:{last}"


def _shown(value) -> str:
    if isinstance(value, datetime.datetime):
        return "00/00/0000 00:00"
    if isinstance(value, datetime.date):
        return "00/00/0000"
    return "" if value is None else str(value)


def _status(value: str) -> str:
    return Status(value).label if value else ""


def _rag(value: str) -> str:
    return Rag(value).label


def board_pack_workbook(pack: BoardPack, *, preview: bool = False) -> bytes:
    """The pack's workbook; a ``preview`` says its papers have not been published."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    meeting = pack.meeting
    _sheet(
        workbook,
        "Summary",
        ["Priority", "Title", "Actions", *Status.labels, *Rag.labels],
        [
            [row.number or "", row.title, row.total, *row.status_counts, *row.rag_counts]
            for row in [*pack.summary, pack.totals]
        ],
        heading=[
            f"{meeting.board.name}: {meeting.title}, {meeting.date:%d/%m/%Y}",
            ("Preview: these papers have not been published. " if preview else "")
            + f"The plan as it stood at {pack.as_at_words}",
        ],
    )
    _sheet(
        workbook,
        "Exceptions",
        ["Ref", "Action", "Status", "RAG", "Due date", "Why"],
        [
            [
                e.action.reference,
                e.action.text,
                _status(e.action.status),
                _rag(e.action.rag),
                e.action.due_date,
                ", ".join(e.reasons),
            ]
            for e in pack.exceptions
        ],
    )
    _sheet(
        workbook,
        "Changes since last meeting",
        ["When", "Ref", "Action", "What happened", "Who", "Note"],
        [
            [
                event.when,
                event.reference,
                event.text,
                "; ".join(f"{c.label}: {c.old} to {c.new}" for c in event.changes) or event.kind,
                event.who,
                event.note,
            ]
            for event in pack.changes
        ],
    )
    _sheet(
        workbook,
        "Reviews",
        ["Reviewed", "Board's RAG", "Comment", "Recommendation or decision", "Follow-ups", "By"],
        [
            [
                review.subject_reference,
                _rag(review.rag),
                review.comment,
                review.recommendation,
                ", ".join(action.reference for action in review.follow_ups.all()),
                review.recorded_by.get_full_name() or review.recorded_by.get_username(),
            ]
            for review in pack.reviews
        ],
    )
    _sheet(
        workbook,
        "Decisions",
        ["Number", "Title", "Date", "Decision maker", "Decision", "Status"],
        [
            [d.number, d.title, d.date, d.decision_maker, d.decision, d.get_status_display()]
            for d in pack.decisions
        ],
    )
    _sheet(
        workbook,
        "Due before next meeting",
        ["Ref", "Action", "Status", "Due date"],
        [[row.reference, row.text, _status(row.status), row.due_date] for row in pack.due],
    )
    add_measures_sheet(workbook, pack.measures, has_previous=pack.previous is not None)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
