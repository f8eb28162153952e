import datetime
from io import BytesIO

import openpyxl
from django.urls import reverse

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
