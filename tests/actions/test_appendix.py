"""The action plan appendix parser, on the real seed file and on other layouts of the same plan.

Plain pytest: no database, no Django. The other layouts are built here from the parsed seed,
so each must read back to exactly what the seed says.
"""

import codecs
import csv
import datetime
import io
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from actions.appendix import PlanFileError, PlanRow, read_plan
from tests.seed import SEED, SEED_TITLES

DOCUMENT_TITLE = "Appendix 2 – Send Strategy Joint Action Plan"
KNOWN_OWNERS = ("Medway Parent/Carer Forum",)


@pytest.fixture(scope="module")
def seed_rows() -> list[PlanRow]:
    return read_plan(SEED.name, SEED.read_bytes(), known_owner_names=KNOWN_OWNERS)


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


# The seed file


def test_seed_appendix_has_seven_priorities_with_full_titles(seed_rows):
    titles = {row.priority_number: row.priority_title for row in seed_rows}
    assert titles == SEED_TITLES


def test_seed_appendix_has_the_actions_counted_per_priority(seed_rows):
    counts = Counter(row.priority_number for row in seed_rows)
    assert counts == {1: 5, 2: 8, 3: 4, 4: 5, 5: 4, 6: 5, 7: 5}


def test_seed_audit_action_keeps_its_cadence_deadline_and_splits_its_owners(seed_rows):
    audit = action_starting(seed_rows, "Implement a multi-agency audit programme of EHCPs")
    assert audit.priority_number == 2
    assert audit.deadline_text == "Bi monthly /ongoing"
    assert audit.owners_text == "Head of 0-25 Integrated Service/DCO/SEN manager"
    assert audit.owners == ("Head of 0-25 Integrated Service", "DCO", "SEN manager")


def test_seed_rows_carry_the_line_number_a_user_sees(seed_rows):
    assert seed_rows[0].row_number == 4
    # After the blank line inside priority 2, and after the blank line that splits
    # priority 5's title from its first line.
    assert action_starting(seed_rows, "Implement a multi-agency").row_number == 19
    assert action_starting(seed_rows, "Ensure that parents/carers").row_number == 33
    assert seed_rows[-1].row_number == 46


def test_seed_page_break_and_title_rows_are_not_actions(seed_rows):
    texts = " ".join(row.text for row in seed_rows)
    assert "APPENDIX" not in texts
    assert "Joint Action Plan" not in texts
    assert len(seed_rows) == 36


def test_seed_text_is_kept_as_written_typos_and_all(seed_rows):
    pilot = action_starting(seed_rows, "Develop a pilot program")
    assert "training to staff I universal settings" in pilot.text
    review = action_starting(seed_rows, "Review the format of the EHCP")
    assert review.owners == ("Head OF 0-25 Integrated Service", "SEN manager")
    internships = action_starting(seed_rows, "Create more post 16 opportunities")
    assert internships.deadline_text == "September 2020 an ongoing"
    evaluate = action_starting(seed_rows, 'Evaluate the "Effective')
    assert '"Effective Leadership: Inclusion Program"' in evaluate.text


def test_seed_owners_split_on_slash_and_comma_without_trailing_full_stop(seed_rows):
    team = action_starting(seed_rows, "Ensure there are systems in place")
    assert team.owners_text == (
        "Head of 0-25 Integrated Service, Head of Early Help/ Service managers and provider leads."
    )
    assert team.owners == (
        "Head of 0-25 Integrated Service",
        "Head of Early Help",
        "Service managers and provider leads",
    )
    assert team.deadline_text == "ongoing"


def test_known_owner_name_containing_a_slash_stays_whole(seed_rows):
    forum = action_starting(seed_rows, "Continue to develop and strengthen")
    assert forum.owners == ("Head of 0-25 integrated service", "Medway Parent/Carer Forum")


def test_unknown_owner_name_containing_a_slash_is_split():
    rows = read_plan(SEED.name, SEED.read_bytes())
    forum = action_starting(rows, "Continue to develop and strengthen")
    assert forum.owners == ("Head of 0-25 integrated service", "Medway Parent", "Carer Forum")


def test_known_owner_name_matches_whatever_its_case_and_spacing():
    data = csv_bytes(
        [
            ["No", "Priority", "Actions", "By whom"],
            ["1", "Listen", "Hold a forum", "SEN manager, medway parent / carer  forum"],
        ],
        ",",
        "utf-8",
    )
    (row,) = read_plan("plan.csv", data, known_owner_names=[" Medway Parent/Carer\u00a0Forum "])
    assert row.owners == ("SEN manager", "medway parent / carer forum")


def test_owners_joined_by_and_or_with_stay_one_owner(seed_rows):
    access = action_starting(seed_rows, "Continue to improve access")
    assert access.owners == ("DCO and providers", "Partnership Commissioning Manager")
    mapping = action_starting(seed_rows, "Undertake a mapping exercise")
    assert mapping.owners == ("PEP with working group",)


# Other layouts of the same plan


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


def test_xlsx_with_merged_priorities_and_reordered_columns_reads_like_the_seed(seed_rows):
    rows = read_plan(
        "Action plan.XLSX", merged_xlsx_layout(seed_rows), known_owner_names=KNOWN_OWNERS
    )
    expected = summary(seed_rows)
    expected[0] = expected[0][:4] + ("1 February 2020",)
    assert summary(rows) == expected
    # Row numbers are the Plan sheet's: title, blank, header, then actions from row 4.
    assert [row.row_number for row in rows] == list(range(4, 4 + len(seed_rows)))
    assert rows[0].owners_text == seed_rows[0].owners_text.replace("/DCO/", "/ DCO /")


def windows_csv_layout(seed_rows: list[PlanRow]) -> bytes:
    """Excel-on-Windows CSV: "1. Title" priority cells, "Lead"/"Due" headers, cp1252 text."""
    table = [[DOCUMENT_TITLE], [], ["Priority", "Actions", "Lead", "Due"]]
    for group in by_priority(seed_rows):
        for index, row in enumerate(group):
            priority = f"{row.priority_number}. {row.priority_title}" if index == 0 else ""
            table.append([priority, row.text, row.owners_text, row.deadline_text])
    table[3][1] += " Budget £40,000 – agreed."
    return csv_bytes(table, ",", "cp1252")


def test_windows_1252_csv_with_numbered_priority_cells_reads_like_the_seed(seed_rows):
    data = windows_csv_layout(seed_rows)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = read_plan("plan.csv", data, known_owner_names=KNOWN_OWNERS)
    expected = summary(seed_rows)
    expected[0] = (*expected[0][:2], expected[0][2] + " Budget £40,000 – agreed.", *expected[0][3:])
    assert summary(rows) == expected


def semicolon_csv_layout(seed_rows: list[PlanRow]) -> bytes:
    """UTF-8 with BOM, ";"-separated, titles split over two rows, page breaks repeating the
    document title and header, and priority 2 carried over a page break as "(continued)"."""
    header = ["No", "Priority", "Actions", "By whom", "By when"]
    page_break = [[], ["APPENDIX 2"], [DOCUMENT_TITLE], header]
    table = [[DOCUMENT_TITLE], header]
    for group in by_priority(seed_rows):
        words = group[0].priority_title.split()
        halves = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        for index, row in enumerate(group):
            number = str(row.priority_number) if index == 0 else ""
            title = halves[index] if index < 2 else ""
            if row.priority_number == 2 and index == 4:
                table += page_break
                number, title = "2", "(continued)"
            table.append([number, title, row.text, row.owners_text, row.deadline_text])
        table += page_break
    return csv_bytes(table, ";", "utf-8-sig")


def test_utf8_bom_semicolon_csv_with_split_titles_reads_like_the_seed(seed_rows):
    data = semicolon_csv_layout(seed_rows)
    assert data.startswith(codecs.BOM_UTF8)
    rows = read_plan("plan.csv", data, known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == summary(seed_rows)


def test_section_heading_rows_without_a_priority_column_read_like_the_seed(seed_rows):
    table = [["Action", "Who", "When"]]
    for group in by_priority(seed_rows):
        table.append([f"Priority {group[0].priority_number}: {group[0].priority_title}"])
        table += [[row.text, row.owners_text, row.deadline_text] for row in group]
    rows = read_plan("plan.tsv", csv_bytes(table, "\t", "utf-8"), known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == summary(seed_rows)


def test_priority_header_merged_over_number_and_title_columns_reads_like_the_seed(seed_rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Priority", None, "Action", "Responsible", "Timescale"])
    sheet.merge_cells("A1:B1")
    for group in by_priority(seed_rows):
        for index, row in enumerate(group):
            priority = [row.priority_number, row.priority_title] if index == 0 else [None, None]
            sheet.append([*priority, row.text, row.owners_text, row.deadline_text])
    rows = read_plan("plan.xlsx", xlsx_bytes(workbook), known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == summary(seed_rows)


def test_unnumbered_priority_titles_are_numbered_in_order(seed_rows):
    table = [["Strategic priority", "Actions", "By whom", "By when"]]
    table += [
        [row.priority_title, row.text, row.owners_text, row.deadline_text] for row in seed_rows
    ]
    rows = read_plan("plan.csv", csv_bytes(table, ",", "utf-8"), known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == summary(seed_rows)


def test_excel_unicode_text_export_in_utf16_is_read(seed_rows):
    rows = read_plan("plan.txt", SEED.read_text(encoding="utf-8").encode("utf-16"))
    assert summary(rows) == summary(read_plan(SEED.name, SEED.read_bytes()))


# Exported files


EXPORT_HEADER = [
    "Ref",
    "Priority number",
    "Priority title",
    "Action",
    "Owners",
    "Deadline",
    "Status",
    "RAG",
    "% complete",
    "Last update",
]


def test_exported_csv_fills_the_optional_columns_and_drops_formula_guard_quotes():
    table = [
        EXPORT_HEADER,
        ["1.1", "1", "Early help", "'=Review the offer", "'@DCO", "March 2021", "On track"]
        + ["Green", "50%", "'+44 1634 000000 rang"],
        ["1.2", "1", "Early help", "'Quoted' on purpose", "DCO", "ongoing", "", "", "", ""],
    ]
    rows = read_plan("export.csv", csv_bytes(table, ",", "utf-8"))
    first, second = rows
    assert (first.reference, first.status, first.rag, first.percent_complete) == (
        "1.1",
        "On track",
        "Green",
        "50%",
    )
    assert first.last_update == "+44 1634 000000 rang"
    assert (first.text, first.owners) == ("=Review the offer", ("@DCO",))
    # Number and title on every row belong to one priority, not two, and are not repeated.
    assert {row.priority_title for row in rows} == {"Early help"}
    assert second.text == "'Quoted' on purpose"
    assert (second.reference, second.status, second.percent_complete) == ("1.2", "", "")


def test_exported_xlsx_reads_percentages_formulas_and_date_cells_as_text():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(EXPORT_HEADER)
    sheet.append(
        ["1.1", 1, "Early help", "Review the offer", "DCO", datetime.date(2021, 3, 9), "=B2&B2"]
        + ["Amber", 0.25, datetime.datetime(2021, 1, 5, 14, 30)]
    )
    sheet["I2"].number_format = "0%"
    (row,) = read_plan("export.xlsx", xlsx_bytes(workbook))
    assert (row.priority_number, row.deadline_text, row.status) == (1, "9 March 2021", "=B2&B2")
    assert (row.percent_complete, row.last_update) == ("25%", "5 January 2021")
    assert row.reference == "1.1"


def test_plain_csv_without_optional_columns_leaves_them_empty(seed_rows):
    assert {(row.reference, row.status, row.rag, row.percent_complete) for row in seed_rows} == {
        ("", "", "", "")
    }


def test_owner_text_on_a_row_of_its_own_continues_the_action_above():
    table = [
        ["No", "Priority", "Actions", "By whom", "By when"],
        ["1", "Early help", "Review the offer", "Head of 0-25 integrated service/", ""],
        ["", "", "", "DCO", "ongoing"],
    ]
    (row,) = read_plan("plan.csv", csv_bytes(table, ",", "utf-8"))
    assert row.owners_text == "Head of 0-25 integrated service/ DCO"
    assert row.owners == ("Head of 0-25 integrated service", "DCO")
    assert row.deadline_text == "ongoing"


def test_action_cell_merged_over_two_rows_is_one_action_with_both_rows_owners():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["No", "Priority", "Actions", "By whom", "By when"])
    sheet.append([1, "Early help", "Review the offer", "DCO", "ongoing"])
    sheet.append([None, None, None, "SEN manager", "ongoing"])
    sheet.append([None, None, "Publish the offer", "Local Offer Officer", "June 2019"])
    sheet.merge_cells("C2:C3")
    review, publish = read_plan("plan.xlsx", xlsx_bytes(workbook))
    assert (review.text, review.owners, review.deadline_text) == (
        "Review the offer",
        ("DCO", "SEN manager"),
        "ongoing",
    )
    assert (publish.row_number, publish.owners) == (4, ("Local Offer Officer",))


def test_numbers_inside_a_continued_title_do_not_start_a_priority():
    table = [
        ["#", "Priority", "Actions", "Owner"],
        ["1", "Prepare young people aged", "Map provision", "PEP"],
        ["", "19 years and over for adulthood.", "Publish a protocol", "PEP"],
        ["", "", "Review 1.1 outcomes", "PEP"],
    ]
    rows = read_plan("plan.csv", csv_bytes(table, ",", "utf-8"))
    assert {(row.priority_number, row.priority_title) for row in rows} == {
        (1, "Prepare young people aged 19 years and over for adulthood.")
    }


# Files that cannot be read


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx", "plan", "plan.xls"])
def test_unknown_extension_is_rejected_naming_the_accepted_ones(name):
    with pytest.raises(PlanFileError) as error:
        read_plan(name, SEED.read_bytes())
    message = str(error.value)
    assert ".xlsx, .csv, .tsv, .txt" in message
    extension = Path(name).suffix
    assert (extension in message) if extension else ("without an extension" in message)


def test_text_named_xlsx_is_rejected_as_not_really_a_spreadsheet():
    with pytest.raises(PlanFileError, match="not really a spreadsheet"):
        read_plan("plan.xlsx", SEED.read_bytes())


def test_old_xls_workbook_named_xlsx_is_rejected_with_how_to_fix_it():
    with pytest.raises(PlanFileError, match=r"old-style \.xls"):
        read_plan("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_zip_that_is_not_a_workbook_is_rejected():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(PlanFileError, match="could not be opened as an Excel workbook"):
        read_plan("plan.xlsx", out.getvalue())


def test_binary_csv_is_rejected():
    with pytest.raises(PlanFileError, match="binary data"):
        read_plan("plan.csv", b"Priority,Actions\x00\x01\x02\xff\x00garbage")


def test_workbook_named_csv_is_rejected_with_the_right_extension_to_use(seed_rows):
    with pytest.raises(PlanFileError, match="give it the .xlsx extension"):
        read_plan("plan.csv", merged_xlsx_layout(seed_rows))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.csv", b""),
        ("plan.txt", b"  \r\n\r\n"),
        ("plan.csv", codecs.BOM_UTF8 + b"\r\n"),
        ("plan.csv", b",,,\r\n;;\r\n"),
        ("plan.xlsx", xlsx_bytes(openpyxl.Workbook())),
    ],
)
def test_empty_file_is_rejected(name, data):
    with pytest.raises(PlanFileError, match="The file is empty"):
        read_plan(name, data)


def test_header_without_actions_below_it_is_rejected():
    data = csv_bytes([[DOCUMENT_TITLE], ["Priority", "Actions", "By whom"]], ",", "utf-8")
    with pytest.raises(PlanFileError, match=r"no actions below its header row \(row 2\)"):
        read_plan("plan.csv", data)


def test_missing_action_column_is_named_with_the_headers_seen():
    data = csv_bytes(
        [[DOCUMENT_TITLE], ["Priority", "Item", "By whom", "By when"], ["1", "x", "y", "z"]],
        ",",
        "utf-8",
    )
    with pytest.raises(PlanFileError) as error:
        read_plan("plan.csv", data)
    message = str(error.value)
    assert 'a column headed "Actions"' in message
    assert "By whom" not in message.split("Headers seen")[0]
    assert 'Headers seen in row 2: "Priority", "Item", "By whom", "By when".' in message


def test_missing_owner_and_deadline_columns_are_both_named():
    data = csv_bytes([["Priority", "Actions", "Notes"], ["1", "x", "y"]], ",", "utf-8")
    with pytest.raises(PlanFileError) as error:
        read_plan("plan.csv", data)
    message = str(error.value).split("Headers seen")[0]
    assert 'a column headed "By whom"' in message
    assert 'a column headed "By when"' in message
    assert '"Actions"' not in message


def test_action_before_any_priority_names_its_row():
    table = [
        [DOCUMENT_TITLE],
        ["", "Priority", "Actions", "By whom", "By When"],
        [],
        ["", "", "Review the offer", "DCO", "ongoing"],
    ]
    with pytest.raises(PlanFileError) as error:
        read_plan("plan.csv", csv_bytes(table, ",", "utf-8"))
    assert str(error.value) == "Row 4: an action comes before any priority"
    assert error.value.row == 4


def test_plan_file_error_without_a_row_is_just_its_message():
    assert str(PlanFileError("The file is empty.")) == "The file is empty."


def test_workbook_that_unzips_to_an_absurd_size_is_refused(monkeypatch):
    import actions.appendix as appendix

    workbook = openpyxl.Workbook()
    workbook.active.append(["Priority", "Actions", "By whom", "By When"])
    out = io.BytesIO()
    workbook.save(out)
    monkeypatch.setattr(appendix, "MAX_UNPACKED_XLSX_BYTES", 1000)
    with pytest.raises(PlanFileError, match="unpacks to"):
        read_plan("plan.xlsx", out.getvalue())
