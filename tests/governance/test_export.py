import datetime
from io import BytesIO

import openpyxl
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services.actions import action_save
from governance.models import Meeting

from .conftest import on

DAY = datetime.date(2026, 5, 5)


def test_pack_downloads_as_a_workbook_whose_text_is_never_a_formula(
    client, board_member, board, strategy, priority, plan_admin
):
    with on(DAY - datetime.timedelta(days=3)):
        action = Action(priority=priority, reference="1.1", text='=HYPERLINK("http://x","y")')
        action.rag, action.due_date = "red", DAY
        action_save(action=action, user=plan_admin, reason="Imported")
    meeting = Meeting.objects.create(board=board, strategy=strategy, date=DAY, title="May")
    client.force_login(board_member)
    response = client.get(reverse("governance:meeting_pack_xlsx", args=[meeting.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "board-pack-partnership-2026-05-05.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Exceptions",
        "Changes since last meeting",
        "Reviews",
        "Decisions",
        "Due before next meeting",
        "Measures",
    ]
    [header, row] = list(workbook["Exceptions"].iter_rows())
    assert [cell.value for cell in header][:2] == ["Ref", "Action"]
    assert row[1].value == '=HYPERLINK("http://x","y")'
    assert row[1].data_type == "s"
    totals = list(workbook["Summary"].iter_rows(values_only=True))[-1]
    assert totals[1:3] == ("All priorities", 1)


def test_a_future_packs_workbook_says_it_is_a_preview(client, board_member, board, strategy):
    day = timezone.localdate() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(board=board, strategy=strategy, date=day, title="Next")
    client.force_login(board_member)
    response = client.get(reverse("governance:meeting_pack_xlsx", args=[meeting.pk]))
    summary = openpyxl.load_workbook(BytesIO(response.content))["Summary"]
    assert summary["A2"].value.startswith("Preview: these papers have not been published.")


def test_pack_workbook_has_real_dates_filtered_headers_and_filled_rag_words(
    client, board_member, board, strategy, priority, plan_admin
):
    with on(DAY - datetime.timedelta(days=3)):
        action = Action(priority=priority, reference="1.1", text="Train SENCOs.")
        action.rag, action.due_date = "red", DAY - datetime.timedelta(days=1)
        action_save(action=action, user=plan_admin, reason="Imported")
    meeting = Meeting.objects.create(board=board, strategy=strategy, date=DAY, title="May")
    client.force_login(board_member)
    response = client.get(reverse("governance:meeting_pack_xlsx", args=[meeting.pk]))
    sheet = openpyxl.load_workbook(BytesIO(response.content))["Exceptions"]
    header, row = sheet[1], sheet[2]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F2"
    due = row[4]
    assert due.value == datetime.datetime(2026, 5, 4) and due.number_format == "dd/mm/yyyy"
    rag = row[3]
    assert rag.value == "Red" and rag.fill.start_color.rgb.endswith("F4B6B6")
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
