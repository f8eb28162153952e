"""Plan files built for the reader's tests: the seed's plan in other layouts, and helpers."""

import csv
import datetime
import io

import openpyxl

from planfile.layout import PlanRow

DOCUMENT_TITLE = "Appendix 2 – Send Strategy Joint Action Plan"


KNOWN_OWNERS = ("Medway Parent/Carer Forum",)


def summary(rows: list[PlanRow]) -> list[tuple]:
    """What a layout must agree on: priorities, actions, owners and deadlines, in order."""
    return [
        (row.priority_number, row.priority_title, row.text, row.owners, row.deadline_text)
        for row in rows
    ]


def action_starting(rows: list[PlanRow], start: str) -> PlanRow:
    (row,) = [row for row in rows if row.text.startswith(start)]
    return row


def by_priority(rows: list[PlanRow]) -> list[list[PlanRow]]:
    groups: dict[int, list[PlanRow]] = {}
    for row in rows:
        groups.setdefault(row.priority_number, []).append(row)
    return list(groups.values())


def csv_bytes(table: list[list[str]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue().encode(encoding)


def xlsx_bytes(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def merged_xlsx_layout(seed_rows: list[PlanRow]) -> bytes:
    """Cover sheet first; title row; reordered "Owner"/"Deadline" columns; merged priorities."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active["A1"] = "SEND strategy action plan: see the Plan sheet"
    sheet = workbook.create_sheet("Plan")
    sheet["A1"] = DOCUMENT_TITLE
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Actions", "Owner", "Deadline", "No.", "Priority"])
    for group in by_priority(seed_rows):
        first = sheet.max_row + 1
        for row in group:
            sheet.append([row.text, row.owners_text, row.deadline_text])
        sheet.cell(first, 4, group[0].priority_number)
        sheet.cell(first, 5, group[0].priority_title)
        sheet.merge_cells(start_row=first, end_row=sheet.max_row, start_column=4, end_column=4)
        sheet.merge_cells(start_row=first, end_row=sheet.max_row, start_column=5, end_column=5)
    # First action: a real date for "February 2020", and line breaks / NBSP in its text.
    sheet["C4"] = datetime.datetime(2020, 2, 1)
    sheet["A4"] = sheet["A4"].value.replace("Develop a pilot", "Develop\na\u00a0 pilot", 1)
    # Excel stores a carriage return inside a cell as "_x000D_", which openpyxl keeps.
    sheet["B4"] = sheet["B4"].value.replace("/DCO/", "/_x000D_\nDCO\u00a0/")
    # Priority 4 shares a deadline (rows 21-22) and an owner (rows 23-24) in merged cells.
    for column, first in (("C", 21), ("B", 23)):
        assert sheet[f"{column}{first}"].value == sheet[f"{column}{first + 1}"].value
        sheet.merge_cells(f"{column}{first}:{column}{first + 1}")
    return xlsx_bytes(workbook)
