"""Export an area, restore it into an empty database, export again: the same files."""

import io

import pytest
from django.core.management import call_command

from actions.models import Action
from actions.services.actions import action_delete
from backups.restore import area_restore
from priorities.models import LocalArea
from tests.demo.test_load_demo import load_demo

from .conftest import empty_database, manifest_of


@pytest.mark.django_db
def test_demo_area_round_trips_to_the_same_files(backup, django_user_model):
    load_demo()
    medway = LocalArea.objects.get(name="Medway")
    planadmin = django_user_model.objects.get(username="planadmin")
    gone = Action.objects.filter(priority__strategy__area=medway).first()
    gone_id = gone.pk
    action_delete(action=gone, user=planadmin, reason="Duplicate of another action")
    first = backup(medway)

    empty_database()
    area_restore(path=io.BytesIO(first))
    again = backup(LocalArea.objects.get(name="Medway"))

    before, after = manifest_of(first), manifest_of(again)
    assert after["sha256"] == before["sha256"]
    assert after["rows"] == before["rows"]
    # What the demo holds reaches every kind of record: the test covers more than a few.
    filled = [label for label, count in before["rows"].items() if count]
    assert len(filled) >= 50
    assert Action.history.filter(id=gone_id, history_type="-").get().history_user.username == (
        "planadmin"
    )


@pytest.mark.django_db
def test_commands_write_and_restore_the_backup(tmp_path, area, action, plan_admin):
    path = tmp_path / "medway.zip"
    out = io.StringIO()
    call_command("export_area", "medway", "-o", str(path), stdout=out)
    assert f"Wrote {path}: Medway," in out.getvalue()

    empty_database()
    out = io.StringIO()
    call_command("restore_area", str(path), stdout=out)
    assert f"Restored Medway from {path}" in out.getvalue()
    assert Action.objects.get(pk=action.pk).owners.get().name == "Designated Clinical Officer"
