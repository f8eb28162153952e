"""The board pack as an Excel workbook, one sheet per section of the pack.

Text is written as text: a cell starting with "=" stays the words someone typed and never
becomes a formula when the pack is opened. Counts stay numbers, so they can be summed.
"""

import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from actions.choices import Rag, Status
from measures.export import add_measures_sheet
from sendplan.spreadsheets import text_cell

from .selectors import BoardPack


def _text(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list], heading: list[str] = ()
) -> None:
    sheet = workbook.create_sheet(title)
    for row in [*([line] for line in heading), header, *rows]:
        sheet.append([text_cell(sheet, _text(value)) for value in row])
    header_row = len(heading) + 1
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{header_row + 1}"


def _status(value: str) -> str:
    return Status(value).label if value else ""


def _rag(value: str) -> str:
    return Rag(value).label


def board_pack_workbook(pack: BoardPack) -> bytes:
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
            f"The plan as it stood at the end of {meeting.date:%d/%m/%Y}",
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
        ["When", "Ref", "Action", "Status was", "Status", "RAG was", "RAG", "Who", "Note"],
        [
            [
                c.change.when,
                c.reference,
                c.text,
                _status(c.change.old_status),
                _status(c.change.new_status),
                _rag(c.change.old_rag),
                _rag(c.change.new_rag),
                c.change.who,
                c.change.note,
            ]
            for c in pack.changes
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
