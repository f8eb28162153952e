import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from simple_history.models import HistoricalChanges

from actions.models import Action
from priorities.models import LocalArea, Strategy

from .plans import unreadable_workbooks
from .producers import seed_sheet, xlsxwriter_workbook
from .test_admin import broken_parse_cell

SEED = Path(settings.BASE_DIR) / "fixtures" / "medway-send-action-plan-appendix-2.txt"
STRATEGY = "Joint SEND Strategy 2019-22"


def import_plan(path: Path, *options: str) -> str:
    out = StringIO()
    call_command(
        "import_plan", str(path), "--area", "Medway", "--strategy", STRATEGY, *options, stdout=out
    )
    return out.getvalue()


def plan_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app_label in ("priorities", "actions")
        for model in apps.get_app_config(app_label).get_models()
    }


def history_users(since=None) -> set:
    """The user of every history row the import can write (since a moment, if given)."""
    return {
        user
        for model in apps.get_models()
        # Many-to-many history tables record no user; the import writes none of them.
        if issubclass(model, HistoricalChanges) and hasattr(model, "history_user")
        for user in model.objects.filter(
            history_date__gte=since or datetime.datetime.min.replace(tzinfo=datetime.UTC)
        ).values_list("history_user", flat=True)
    }


def test_creates_area_and_strategy_on_a_fresh_database_and_prints_the_summary(db):
    assert not LocalArea.objects.exists()

    output = import_plan(SEED)

    lines = output.splitlines()
    assert lines[:4] == [
        "Local area created: Medway",
        f"Strategy created: {STRATEGY}",
        "Priorities: 7 created, 0 updated, 0 unchanged",
        "Actions: 36 created, 0 updated, 0 unchanged",
    ]
    assert lines[4].startswith("Owners: 27 created (Head of 0-25 Integrated Service, ")
    assert len(lines) == 5
    strategy = Strategy.objects.get(area__name="Medway", title=STRATEGY)
    assert Action.objects.filter(priority__strategy=strategy).count() == 36


def test_without_user_the_history_rows_record_the_operator_as_no_user(db):
    import_plan(SEED)

    assert history_users() == {None}


def test_user_option_puts_that_user_on_every_history_row(plan_admin):
    start = timezone.now()
    import_plan(SEED, "--user", plan_admin.username)

    assert history_users(since=start) == {plan_admin.pk}


def test_unknown_user_is_refused_by_name_and_nothing_is_written(db):
    with pytest.raises(CommandError, match='No user "nobody"'):
        import_plan(SEED, "--user", "nobody")

    assert not LocalArea.objects.exists()


def test_user_who_is_not_a_plan_admin_is_refused(board_member):
    with pytest.raises(CommandError, match="User bola cannot import a plan"):
        import_plan(SEED, "--user", board_member.username)

    assert not Strategy.objects.exists()


def test_dry_run_prints_what_would_happen_and_writes_nothing(db):
    empty = plan_counts()

    output = import_plan(SEED, "--dry-run")

    assert "Actions: 36 created, 0 updated, 0 unchanged" in output.splitlines()
    assert output.splitlines()[-1] == "Dry run: nothing was written."
    assert plan_counts() == empty


def test_reimport_prints_that_everything_is_unchanged(db):
    import_plan(SEED)

    output = import_plan(SEED)

    assert output.splitlines() == [
        "Priorities: 0 created, 0 updated, 7 unchanged",
        "Actions: 0 created, 0 updated, 36 unchanged",
        "Owners: 0 created",
    ]


def test_refused_file_raises_with_every_message_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "progress.csv"
    bad.write_text(
        "No,Priority,Actions,By whom,By When,Status,% complete\n"
        "1,Early help,First,DCO,May 2020,Finished,10\n"
        "1,Early help,Second,DCO,May 2020,In progress,half\n"
    )
    empty = plan_counts()

    with pytest.raises(CommandError) as refused:
        import_plan(bad)

    assert str(refused.value).splitlines() == [
        "progress.csv was not imported; nothing was written.",
        'Row 2, status: "Finished" is not a status (Not started, In progress, At risk, '
        "Blocked or Completed).",
        'Row 3, percent complete: "half" is not a percentage from 0 to 100.',
    ]
    assert plan_counts() == empty


def test_empty_file_is_refused_with_its_message(db, tmp_path):
    empty_file = tmp_path / "plan.txt"
    empty_file.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty."):
        import_plan(empty_file)

    assert not LocalArea.objects.exists()


@pytest.mark.parametrize(("damage", "data"), unreadable_workbooks().items())
def test_damaged_workbook_is_refused_with_the_importers_message(db, tmp_path, damage, data):
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(data)

    with pytest.raises(CommandError) as refused:
        import_plan(workbook)

    assert str(refused.value).splitlines() == [
        "plan.xlsx was not imported; nothing was written.",
        "The file is named .xlsx but could not be opened as an Excel workbook; it may be "
        "damaged or another kind of file. Save it again from Excel and upload that.",
    ]
    assert not LocalArea.objects.exists()


def test_missing_file_is_refused_naming_it(db, tmp_path):
    missing = tmp_path / "nowhere.txt"

    with pytest.raises(CommandError, match=f"Cannot read {missing}"):
        import_plan(missing)


def test_a_fault_in_the_reader_is_reported_with_its_reference(db, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("planfile.reader._SheetParser.parse_cell", broken_parse_cell)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsxwriter_workbook([seed_sheet()]))

    with pytest.raises(CommandError) as error:
        import_plan(path)

    (record,) = caplog.records
    reference = record.args[-1]
    assert str(error.value) == (
        "plan.xlsx was not imported; nothing was written.\n"
        "We could not read this file. This is a fault in sendplan, not in your file; "
        f"reference {reference}. Please give this reference to your service administrator."
    )
    assert record.exc_info[0] is TypeError
    assert not LocalArea.objects.exists()
