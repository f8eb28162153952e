"""Plan files the reader refuses, each with a message that says what to do, and encodings."""

import codecs
import inspect
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planfile import reader
from planfile.layout import read_plan
from planfile.reader import PlanFileError, PlanReadFault
from tests.seed import SEED

from .plans import merged_xlsx_layout, small_workbook, summary, unreadable_workbooks, xlsx_bytes
from .producers import (
    DateCell,
    Rich,
    Sheet,
    as_strict_open_xml,
    seed_sheet,
    with_part,
    xlsxwriter_workbook,
)

SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


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


@pytest.mark.parametrize(("damage", "data"), unreadable_workbooks().items())
def test_damaged_workbook_is_rejected_with_the_readers_own_message(damage, data):
    with pytest.raises(PlanFileError, match="could not be opened as an Excel workbook"):
        read_plan("plan.xlsx", data)


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


def test_plan_file_error_without_a_row_is_just_its_message():
    assert str(PlanFileError("The file is empty.")) == "The file is empty."


def test_workbook_that_unzips_to_an_absurd_size_is_refused(monkeypatch):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Priority", "Actions", "By whom", "By When"])
    out = io.BytesIO()
    workbook.save(out)
    monkeypatch.setattr(reader, "MAX_UNPACKED_XLSX_BYTES", 1000)
    with pytest.raises(PlanFileError, match="unpacks to"):
        read_plan("plan.xlsx", out.getvalue())


def test_excel_unicode_text_export_in_utf16_is_read(seed_rows):
    rows = read_plan("plan.txt", SEED.read_text(encoding="utf-8").encode("utf-16"))
    assert summary(rows) == summary(read_plan(SEED.name, SEED.read_bytes()))


def test_workbook_declaring_xml_entities_is_refused_not_expanded():
    # defusedxml refuses entity declarations, the root of "billion laughs" and XXE attacks.
    declaration = b'<!DOCTYPE worksheet [<!ENTITY owner "Expanded">]>'

    def declare(content: bytes) -> bytes:
        content = (declaration + content).replace(b">DCO<", b">&owner;<")
        assert b"&owner;" in content
        return content

    with pytest.raises(PlanFileError, match="could not be opened as an Excel workbook"):
        read_plan("plan.xlsx", with_part(small_workbook(), "xl/worksheets/sheet1.xml", declare))


def test_inline_strings_read_as_openpyxl_reads_them():
    # Rich-text runs, a phonetic guide (left out) and a formula over inline text (the
    # formula wins), as Excel and other writers store text inline.
    cells = {
        b"Review the offer": b"<r><rPr><b/></rPr><t>Review </t></r><r><t>the offer</t></r>",
        b"DCO": b"<t>D</t><r><t>C</t></r><r><t>O</t></r><rPh sb='0' eb='1'><t>x</t></rPh>",
        b"May 2020": b"<t/><r><t>May 2020</t></r>",
    }

    def inline(content: bytes) -> bytes:
        for text, stored in cells.items():
            content = content.replace(b"<t>" + text + b"</t>", stored)
        formula = b'<f>"Early"&amp;" help"</f>'
        content = content.replace(
            b'<c r="B2" t="inlineStr">', b'<c r="B2" t="inlineStr">' + formula
        )
        assert content.count(b"<r>") == 5 and b"<f>" in content
        return content

    data = with_part(small_workbook(), "xl/worksheets/sheet1.xml", inline)

    grid = reader.read_grids("plan.xlsx", data)[0]

    assert grid[1][1] == ["1", '="Early"&" help"', "Review the offer", "DCO", "May 2020"]
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert list(sheet.values)[1][1:] == tuple(grid[1][1][1:])


def test_each_producer_writes_every_feature_the_reader_is_tested_on(featured_workbook):
    # Guards the producer tests: they prove something only if the files hold these.
    workbook = openpyxl.load_workbook(io.BytesIO(featured_workbook))
    assert workbook.sheetnames == ["Cover", "Plan", "Lists"]
    sheet = workbook["Plan"]
    assert {"A1:E1", "A4:A8", "B4:B8"} <= {str(cells) for cells in sheet.merged_cells.ranges}
    assert [row for row in (6, 29) if sheet.row_dimensions[row].hidden] == [6, 29]
    assert sheet.auto_filter.ref == "A3:E39"
    date_formats = {cell.number_format for (cell,) in sheet["E4:E39"] if cell.is_date}
    assert len(date_formats) >= 5
    with zipfile.ZipFile(io.BytesIO(featured_workbook)) as archive:
        names = archive.namelist()
        shared = archive.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
    # openpyxl writes text inline; the others, as Excel does, in the shared strings table,
    # the first action of each priority in runs.
    assert shared.count(b"<r>") >= 7 or (
        not shared and b"inlineStr" in sheet_xml(featured_workbook)
    )


def sheet_xml(data: bytes, part: str = "xl/worksheets/sheet2.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part)


def test_shared_strings_with_rich_text_runs_and_phonetic_guides_read_as_openpyxl_reads_them():
    sheet = Sheet(
        "Plan",
        [
            ["No", "Priority", "Actions", "By whom", "By when"],
            [1, "Early help", Rich((("Review ", True), ("the offer", False))), "DCO", "May 2020"],
        ],
    )
    guide = b'<rPh sb="0" eb="3"><t>\xe3\x83\x87\xe3\x82\xa3</t></rPh><phoneticPr fontId="0"/>'

    def with_guide(content: bytes) -> bytes:
        changed = content.replace(b"<t>DCO</t></si>", b"<t>DCO</t>" + guide + b"</si>")
        assert changed != content
        return changed

    data = with_part(xlsxwriter_workbook([sheet]), "xl/sharedStrings.xml", with_guide)
    assert b'<c r="C2" t="s">' in sheet_xml(data, "xl/worksheets/sheet1.xml")

    grid = reader.read_grids("plan.xlsx", data)[0]

    assert grid[1][1] == ["1", "Early help", "Review the offer", "DCO", "May 2020"]
    loaded = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert list(loaded.values)[1] == (1, *grid[1][1][1:])


def plain_xlsxwriter_workbook() -> bytes:
    """A one-action plan as XlsxWriter writes it: text in the shared strings table."""
    header = ["No", "Priority", "Actions", "By whom", "By when"]
    action = [1, "Early help", "Review the offer", "DCO", DateCell(date(2020, 5, 1), "mmmm yyyy")]
    return xlsxwriter_workbook([Sheet("Plan", [header, action])])


@pytest.mark.parametrize(
    ("damage", "old", "new"),
    [
        (
            "a shared string not in the table",
            b'<c r="C2" t="s"><v>6</v>',
            b'<c r="C2" t="s"><v>60</v>',
        ),
        ("a shared string index that is not a number", b"<v>7</v>", b"<v>seven</v>"),
        ("a style not in the table", b'<c r="E2" s="1">', b'<c r="E2" s="9">'),
        ("a cell reference that is not one", b'<c r="C2"', b'<c r="2C"'),
        ("a number that is not one", b'<c r="A2"><v>1</v>', b'<c r="A2"><v>one</v>'),
        ("unclosed XML", b"</sheetData>", b"<sheetData>"),
    ],
)
def test_malformed_sheet_is_rejected_as_damaged(damage, old, new):
    def damaged(content: bytes) -> bytes:
        assert old in content
        return content.replace(old, new)

    data = with_part(plain_xlsxwriter_workbook(), "xl/worksheets/sheet1.xml", damaged)
    with pytest.raises(PlanFileError, match="could not be opened as an Excel workbook"):
        read_plan("plan.xlsx", data)


def test_a_fault_in_the_reader_is_not_blamed_on_the_file_but_logged_with_a_reference(
    monkeypatch, caplog
):
    def broken(self, element):
        raise TypeError("a bug of ours")

    monkeypatch.setattr(reader._SheetParser, "parse_cell", broken)
    data = plain_xlsxwriter_workbook()

    with pytest.raises(PlanReadFault) as fault:
        read_plan("plan.xlsx", data)

    assert not isinstance(fault.value, PlanFileError)
    assert isinstance(fault.value.__cause__, TypeError)
    reference = fault.value.reference
    assert fault.value.message.startswith(
        "We could not read this file. This is a fault in sendplan, not in your file; "
        f"reference {reference}."
    )
    (record,) = caplog.records
    assert (record.name, record.levelname) == ("planfile.reader", "ERROR")
    assert reference in record.getMessage() and "plan.xlsx" in record.getMessage()
    assert record.exc_info[0] is TypeError
    # The same file read again (the preview reads it twice) logs the same reference.
    with pytest.raises(PlanReadFault) as again:
        read_plan("plan.xlsx", data)
    assert again.value.reference == reference


def test_strict_open_xml_workbook_is_refused_saying_to_save_it_as_an_excel_workbook():
    data = as_strict_open_xml(xlsxwriter_workbook([seed_sheet()]))

    with pytest.raises(PlanFileError) as error:
        read_plan("plan.xlsx", data)

    assert str(error.value) == (
        'The workbook is saved as "Strict Open XML Spreadsheet", which cannot be read. Open it '
        'in Excel, choose Save As, pick "Excel Workbook (.xlsx)" as the type and upload that.'
    )


def test_the_openpyxl_internals_the_reader_extends_keep_their_shape():
    # planfile/reader.py streams each sheet with openpyxl's own (private) sheet parser and
    # read-only internals. pyproject.toml pins openpyxl to 3.1; this names what to check
    # in the reader if an upgrade moves any of it.
    def expect(holds: bool, what: str) -> None:
        if not holds:
            pytest.fail(
                f"openpyxl {openpyxl.__version__} changed {what}, which planfile/reader.py "
                "relies on: adapt the reader (_SheetParser, _sheet_grid, _NumberFormats) to it."
            )

    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet import _reader as sheet_reader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    expect(
        hasattr(sheet_reader, "WorkSheetParser")
        and reader._SheetParser.__mro__[1].__name__ == "WorkSheetParser",
        "openpyxl.worksheet._reader.WorkSheetParser",
    )
    parameters = inspect.signature(sheet_reader.WorkSheetParser).parameters
    expect(
        list(parameters)[:2] == ["src", "shared_strings"]
        and {"epoch", "date_formats", "timedelta_formats"} <= set(parameters),
        "WorkSheetParser's arguments (src, shared_strings, epoch, date_formats, ...)",
    )
    expect(
        callable(getattr(sheet_reader.WorkSheetParser, "parse", None))
        and list(inspect.signature(sheet_reader.WorkSheetParser.parse_cell).parameters)
        == ["self", "element"],
        "WorkSheetParser.parse() and parse_cell(element)",
    )
    expect(sheet_reader.INLINE_STRING == f"{{{SHEET_MAIN}}}is", "the INLINE_STRING name")
    merged = Sheet("Plan", [["No", "Priority"], [1, "Early help"], [None, None]], ["A2:A3"])
    workbook = openpyxl.load_workbook(io.BytesIO(xlsxwriter_workbook([merged])), read_only=True)
    sheet = workbook.worksheets[0]
    expect(isinstance(sheet, ReadOnlyWorksheet), "load_workbook(read_only=True)'s sheets")
    expect(
        sheet._shared_strings == ["No", "Priority", "Early help"],
        "the read-only sheet's _shared_strings (the loaded shared strings table)",
    )
    expect(
        isinstance(getattr(sheet, "_worksheet_path", None), str)
        and isinstance(getattr(workbook, "_archive", None), zipfile.ZipFile),
        "the read-only sheet's _worksheet_path or the workbook's _archive",
    )
    expect(
        all(hasattr(workbook, name) for name in ("epoch", "_date_formats", "_timedelta_formats")),
        "the workbook's epoch, _date_formats or _timedelta_formats",
    )
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = reader._SheetParser(
            source,
            sheet._shared_strings,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        rows = list(parser.parse())
    expect(
        [[cell["value"] for cell in cells] for _, cells in rows][:2]
        == [["No", "Priority"], [1, "Early help"]]
        and set(rows[0][1][0]) >= {"row", "column", "value", "data_type", "style_id"},
        "what WorkSheetParser.parse() yields: (row, [cell dicts with column, value, style_id])",
    )
    expect(
        [cells.ref for cells in parser.merged_cells.mergeCell] == ["A2:A3"],
        "WorkSheetParser.merged_cells.mergeCell[].ref",
    )
    expect(
        ReadOnlyCell(sheet, 0, 0, None, style_id=0).number_format == "General",
        "ReadOnlyCell(sheet, row, column, value, style_id=).number_format",
    )
    workbook.close()


def wide_workbook(columns: int, rows: int = 3) -> bytes:
    """A plan with cells out to ``columns`` on each action row, as in a pasted-in export."""
    header = ["No", "Priority", "Actions", "By whom", "By when"]
    table = [header] + [
        [1, "Early help", f"Action {row}", "DCO", "May 2020"] + ["x"] * (columns - 5)
        for row in range(1, rows)
    ]
    return xlsxwriter_workbook([Sheet("Plan", table)])


LIMITS = reader.SheetLimits(rows=1000, columns=200)


def test_sheet_stating_it_is_wider_than_the_limit_is_refused_before_it_is_parsed(monkeypatch):
    data = wide_workbook(10_000)
    assert b'<dimension ref="A1:NTP3"/>' in sheet_xml(data, "xl/worksheets/sheet1.xml")
    monkeypatch.setattr(reader._SheetParser, "parse_row", pytest.fail)

    with pytest.raises(PlanFileError) as error:
        read_plan("plan.xlsx", data, limits=LIMITS)

    assert str(error.value) == (
        'The sheet "Plan" has cells as far as column NTP (column 10,000); a plan\'s sheet may '
        "have at most 200 columns. Delete the columns after the plan's last column and upload "
        "it again."
    )


@pytest.mark.parametrize("dimension", [b"", b'<dimension ref="A1:E2"/>'])
def test_sheet_wider_than_the_limit_is_refused_at_its_first_wide_row(monkeypatch, dimension):
    # Without the size stated, or stated wrongly, the parse stops at the first row past it.
    data = with_part(
        wide_workbook(201, rows=50),
        "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b'<dimension ref="A1:GS50"/>', dimension),
    )
    parsed = []
    parse_row = reader._SheetParser.parse_row
    monkeypatch.setattr(
        reader._SheetParser, "parse_row", lambda self, row: parsed.append(1) or parse_row(self, row)
    )

    with pytest.raises(PlanFileError, match=r"as far as column GS \(column 201\); .* at most 200"):
        read_plan("plan.xlsx", data, limits=LIMITS)

    assert len(parsed) == 2


def test_sheet_longer_than_the_limit_is_refused_naming_the_limit(seed_workbook):
    limits = reader.SheetLimits(rows=40, columns=200)
    with pytest.raises(PlanFileError) as error:
        read_plan("plan.xlsx", seed_workbook, limits=limits)
    # LibreOffice names the sheet after the CSV it opened.
    assert str(error.value).startswith(('The sheet "Action plan"', 'The sheet "plan"'))
    assert "has cells as far as row 46; a plan's sheet may have at most 40 rows." in str(
        error.value
    )


def test_sheet_at_the_limits_is_read(seed_workbook, seed_rows):
    limits = reader.SheetLimits(rows=46, columns=5)
    assert len(read_plan("plan.xlsx", seed_workbook, limits=limits)) == len(seed_rows)
