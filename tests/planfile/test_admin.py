"""A plan admin imports, exports and re-imports the plan in the browser's admin."""

import csv
import hashlib
import io
import os
import time
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from priorities.models import Priority, Strategy
from sendplan.uploads import upload_path, upload_read

from .conftest import AREA, SEED, STRATEGY, history_counts, plan_counts
from .plans import unreadable_workbooks
from .test_reader import wide_workbook

IMPORT_URL = reverse("admin:priorities_strategy_import_plan")


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def upload(client, data: bytes, name: str, area=AREA, strategy=STRATEGY):
    return client.post(
        IMPORT_URL,
        {"area": area, "strategy": strategy, "plan_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    assert form is not None, preview.context["errors"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(IMPORT_URL, {**data, "confirm": "Confirm and import"})


def export(client, file_format: str) -> bytes:
    strategy = Strategy.objects.get(title=STRATEGY)
    url = reverse("admin:priorities_strategy_export", args=[strategy.pk, file_format])
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_preview_writes_nothing_and_confirm_writes_the_plan(admin_client, plan_admin):
    before = plan_counts()
    preview = upload(admin_client, SEED.read_bytes(), SEED.name)
    page = preview.content.decode()
    assert "Priorities: 7 created, 0 updated, 0 unchanged" in page
    assert "Actions: 36 created" in page
    assert "Designated Clinical Officer" in page
    assert plan_counts() == before

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert Priority.objects.filter(strategy__title=STRATEGY).count() == 7
    assert Action.objects.filter(priority__strategy__title=STRATEGY).count() == 36
    history = Action.history.all()
    assert {row.history_user for row in history} == {plan_admin}
    assert {row.history_change_reason for row in history} == {f"Imported from {SEED.name}"}


def test_reimporting_an_export_changes_nothing(admin_client):
    confirm(admin_client, upload(admin_client, SEED.read_bytes(), SEED.name))
    for file_format in ("xlsx", "csv"):
        exported = export(admin_client, file_format)
        before = history_counts()
        preview = upload(admin_client, exported, f"plan.{file_format}")
        assert "Nothing changes" in preview.content.decode(), preview.context["errors"]
        confirm(admin_client, preview)
        assert history_counts() == before


def test_edited_deadline_in_export_changes_only_that_action(admin_client, plan_admin):
    confirm(admin_client, upload(admin_client, SEED.read_bytes(), SEED.name))
    workbook = openpyxl.load_workbook(io.BytesIO(export(admin_client, "xlsx")))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("Ref")].value == "3.2")
    row[headers.index("By When")].value = "March 2021"
    out = io.BytesIO()
    workbook.save(out)

    before = history_counts()
    preview = upload(admin_client, out.getvalue(), "plan-edited.xlsx")
    page = preview.content.decode()
    assert "Actions: 0 created, 1 updated, 35 unchanged" in page
    assert "January 2020" in page and "March 2021" in page
    confirm(admin_client, preview)

    after = history_counts()
    assert after["actions.HistoricalAction"] == before["actions.HistoricalAction"] + 1
    assert {k: v for k, v in after.items() if k != "actions.HistoricalAction"} == {
        k: v for k, v in before.items() if k != "actions.HistoricalAction"
    }
    latest = Action.history.latest()
    assert (latest.reference, latest.deadline_text, latest.history_user) == (
        "3.2",
        "March 2021",
        plan_admin,
    )
    assert latest.history_change_reason == "Imported from plan-edited.xlsx"
    assert str(latest.due_date) == "2021-03-31"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "cannot be read"),
        ("plan.xlsx", b"not a workbook at all", "not really a spreadsheet"),
        ("plan.csv", b"", "empty"),
        ("plan.csv", b"Priority,Actions\n1,Do a thing\n", "By whom"),
    ],
)
def test_bad_file_is_refused_on_the_page_with_nothing_written(admin_client, name, data, message):
    before = plan_counts()
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert plan_counts() == before


@pytest.mark.parametrize(("damage", "data"), unreadable_workbooks().items())
def test_damaged_workbook_is_refused_on_the_page_with_nothing_written(admin_client, damage, data):
    before = plan_counts()
    response = upload(admin_client, data, "plan.xlsx")
    assert response.status_code == 200
    assert "could not be opened as an Excel workbook" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert plan_counts() == before


def test_oversized_upload_is_refused_before_it_is_parsed(admin_client, settings, monkeypatch):
    settings.SENDPLAN_MAX_IMPORT_BYTES = 100
    monkeypatch.setattr("planfile.admin_import.plan_import", pytest.fail)
    response = upload(admin_client, b"x" * 101, "plan.csv")
    assert "over the import limit" in response.content.decode()
    assert not Priority.objects.exists()


def test_confirm_after_the_plan_changed_shows_a_new_preview(admin_client, plan_admin):
    confirm(admin_client, upload(admin_client, SEED.read_bytes(), SEED.name))
    exported = export(admin_client, "csv")
    preview = upload(admin_client, exported.replace(b"January 2020", b"June 2020", 1), "plan.csv")
    action = Action.objects.get(deadline_text="January 2020", reference="3.2")
    action.deadline_text = "July 2020"
    action.save()  # someone else's edit between preview and confirm

    before = history_counts()
    response = confirm(admin_client, preview)
    assert response.status_code == 200
    assert "has changed since your preview" in response.content.decode()
    assert history_counts() == before


def test_formula_like_text_is_exported_inert_and_reimports_as_written(admin_client):
    confirm(admin_client, upload(admin_client, SEED.read_bytes(), SEED.name))
    action = Action.objects.get(reference="1.1")
    action.text = '=HYPERLINK("http://evil")'
    action.save()
    owner = action.owners.first()
    owner.name = "@Lead"
    owner.save()

    rows = list(csv.reader(io.StringIO(export(admin_client, "csv").decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil")' in rows[1]
    sheet = openpyxl.load_workbook(io.BytesIO(export(admin_client, "xlsx"))).active
    cell = next(c for c in sheet[2] if c.value == action.text)
    assert cell.data_type == "s"

    for file_format in ("csv", "xlsx"):
        preview = upload(admin_client, export(admin_client, file_format), f"plan.{file_format}")
        assert "Nothing changes" in preview.content.decode(), preview.context["errors"]


def test_filtered_admin_export_exports_just_those_actions(admin_client):
    confirm(admin_client, upload(admin_client, SEED.read_bytes(), SEED.name))
    blocked = Action.objects.get(reference="2.3")
    blocked.status = "blocked"
    blocked.save()
    url = reverse("admin:actions_action_export") + "?status__exact=blocked"
    response = admin_client.post(
        url, {"format": "1", "export_items": [], "planresource_reference": "on"}
    )
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2


def test_officer_cannot_import(client, officer):
    client.force_login(officer)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert not Priority.objects.exists()


def test_a_fault_in_the_reader_shows_its_reference_not_a_damaged_file(
    admin_client, monkeypatch, caplog, seed_workbook
):
    monkeypatch.setattr("planfile.reader._SheetParser.parse_cell", broken_parse_cell)
    before = plan_counts()

    response = upload(admin_client, seed_workbook, "plan.xlsx")

    page = response.content.decode()
    reference = hashlib.sha256(seed_workbook).hexdigest()[:12]
    assert (
        "We could not read this file. This is a fault in sendplan, not in your file; "
        f"reference {reference}." in page
    )
    assert "damaged" not in page
    assert response.context.get("confirm_form") is None
    assert plan_counts() == before
    logged = [record for record in caplog.records if record.name == "planfile.reader"]
    assert logged and {record.exc_info[0] for record in logged} == {TypeError}
    assert all(reference in record.getMessage() for record in logged)


def broken_parse_cell(self, element):
    raise TypeError("a bug of ours")


def test_workbook_of_ten_thousand_columns_is_refused_on_the_page_naming_the_limit(admin_client):
    response = upload(admin_client, wide_workbook(10_000), "plan.xlsx")
    assert response.context["errors"] == [
        'The sheet "Plan" has cells as far as column NTP (column 10,000); a plan\'s sheet may '
        "have at most 200 columns. Delete the columns after the plan's last column and upload "
        "it again."
    ]
    assert response.context.get("confirm_form") is None


def test_sheet_limits_are_the_settings(admin_client, settings):
    settings.SENDPLAN_MAX_IMPORT_COLUMNS = 4
    response = upload(admin_client, wide_workbook(5), "plan.xlsx")
    assert "as far as column E (column 5); a plan's sheet may have at most 4 columns" in (
        response.content.decode().replace("&#x27;", "'")
    )
    settings.SENDPLAN_MAX_IMPORT_COLUMNS, settings.SENDPLAN_MAX_IMPORT_ROWS = 5, 2
    response = upload(admin_client, wide_workbook(5, rows=3), "plan.xlsx")
    assert response.context["errors"][0].startswith('The sheet "Plan" has cells as far as row 3;')
    settings.SENDPLAN_MAX_IMPORT_ROWS = 3
    response = upload(admin_client, wide_workbook(5, rows=3), "plan.xlsx")
    assert response.context["errors"] == []


def test_the_previewed_file_waits_in_the_upload_store_until_the_confirm(
    admin_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    preview = upload(admin_client, SEED.read_bytes(), SEED.name)
    form = preview.context["confirm_form"]
    kept = ("plan-imports", uuid.UUID(form["upload_id"].value()), form["file_name"].value())
    assert upload_read(*kept) == SEED.read_bytes()
    confirm(admin_client, preview)
    assert upload_read(*kept) is None


def test_a_day_old_preview_is_removed_by_the_next_upload(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = upload(admin_client, SEED.read_bytes(), SEED.name).context["confirm_form"]
    abandoned = tmp_path / upload_path(
        "plan-imports", uuid.UUID(form["upload_id"].value()), SEED.name
    )
    two_days_ago = time.time() - 2 * 86400
    os.utime(abandoned, (two_days_ago, two_days_ago))
    upload(admin_client, SEED.read_bytes(), SEED.name)
    assert not abandoned.exists()
