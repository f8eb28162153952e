"""Reading the action plan appendix, on the real seed file and on other layouts of the same plan.

Plain pytest: no database, no Django. The other layouts are built here from the parsed seed,
so each must read back to exactly what the seed says.
"""

import codecs
import datetime
from collections import Counter

import openpyxl
import pytest

from planfile.layout import PlanRow, read_plan
from planfile.reader import PlanFileError
from tests.seed import SEED_TITLES

from .plans import (
    DOCUMENT_TITLE,
    KNOWN_OWNERS,
    action_starting,
    by_priority,
    csv_bytes,
    merged_xlsx_layout,
    summary,
    xlsx_bytes,
)
from .producers import DateCell, Sheet, featured_summary, openpyxl_workbook, xlsxwriter_workbook


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


def test_seed_saved_as_a_workbook_by_each_producer_reads_like_the_seed(seed_rows, seed_workbook):
    rows = read_plan("Action plan.xlsx", seed_workbook, known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == summary(seed_rows)
    assert [row.row_number for row in rows] == [row.row_number for row in seed_rows]


def test_workbook_with_sheets_merges_filters_hidden_rows_rich_text_and_dates_reads_like_the_seed(
    seed_rows, featured_workbook
):
    # Made by each producer: see producers.featured_plan.
    rows = read_plan("Action plan.xlsx", featured_workbook, known_owner_names=KNOWN_OWNERS)
    assert summary(rows) == featured_summary(seed_rows)
    # The Plan sheet's rows: title, blank, header, then the actions, hidden ones included.
    assert [row.row_number for row in rows] == list(range(4, 4 + len(seed_rows)))


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


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ("mmmm yyyy", "February 2020"),
        ("mmm-yy", "February 2020"),
        ("[$-809]mmmm\\ yyyy;@", "February 2020"),
        ("yyyy", "2020"),
        ("dd/mm/yyyy", "1 February 2020"),
        ("d mmmm yyyy h:mm", "1 February 2020"),
        ("mm-dd-yy", "1 February 2020"),
    ],
)
@pytest.mark.parametrize("write", [openpyxl_workbook, xlsxwriter_workbook])
def test_date_cell_is_read_as_it_is_shown(number_format, shown, write):
    # LibreOffice's own number formats: see the featured workbook's test above.
    deadline = DateCell(datetime.date(2020, 2, 1), number_format)
    header = ["No", "Priority", "Actions", "By whom", "By when"]
    sheet = Sheet("Plan", [header, [1, "Early help", "Review the offer", "DCO", deadline]])
    (row,) = read_plan("plan.xlsx", write([sheet]))
    assert row.deadline_text == shown
