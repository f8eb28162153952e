"""Restoring an area's backup: where the area is not, whole or not at all."""

import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group, User

from actions.models import Action, ActionOwner
from actions.services.actions import action_update_progress
from backups.restore import RestoreRefused, area_restore
from priorities.models import AreaMembership, LocalArea
from sendplan import roles

from .conftest import empty_database, manifest_of, part


@pytest.mark.django_db
def test_an_area_already_held_is_refused_and_nothing_written(backup, action):
    data = backup(action.priority.strategy.area)
    actions = Action.objects.count()
    with pytest.raises(RestoreRefused, match="already holds a local area called Medway"):
        area_restore(path=io.BytesIO(data))
    assert Action.objects.count() == actions


@pytest.mark.django_db
def test_beside_other_areas_taken_ids_move_and_references_follow(backup, action, plan_admin):
    action_update_progress(
        action=action,
        user=plan_admin,
        status="in_progress",
        rag="green",
        percent_complete=20,
        note="Started",
    )
    area = action.priority.strategy.area
    data = backup(area)
    LocalArea.objects.filter(pk=area.pk).update(name="Medway (before)")

    area_restore(path=io.BytesIO(data))

    restored = Action.objects.get(priority__strategy__area__name="Medway")
    assert restored.pk != action.pk
    assert restored.text == action.text
    assert restored.owners.get().area.name == "Medway"
    assert restored.updates.get().note == "Started"
    history = list(restored.history.order_by("history_date"))
    assert [row.history_type for row in history] == ["+", "~"]
    assert history[1].history_user == plan_admin
    assert history[1].history_date == action.history.latest().history_date
    # The area left in place is untouched.
    assert Action.objects.get(pk=action.pk).owners.get().area.name == "Medway (before)"


@pytest.mark.django_db
def test_people_are_matched_by_username_and_the_unknown_created_inactive(
    backup, action, officer, plan_admin
):
    data = backup(action.priority.strategy.area)
    people = part(data, "users.json")
    assert [person["username"] for person in people] == ["olivia", "pat"]
    assert set(people[0]) == {"username", "first_name", "last_name", "email"}
    empty_database()
    User.objects.create_user("pat", password="pw")

    area_restore(path=io.BytesIO(data))

    olivia = User.objects.get(username="olivia")
    assert not olivia.is_active
    assert not olivia.has_usable_password()
    assert not olivia.groups.exists()
    assert olivia.owner_holdings.get().owner.name == "Designated Clinical Officer"
    assert User.objects.get(username="pat").is_active


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_naming_the_file(backup, action):
    data = backup(action.priority.strategy.area)
    empty_database()
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(damaged, "w") as copy:
        for name in source.namelist():
            content = source.read(name)
            if name == "data/actions.Action.json":
                content = content.replace(b"Review support", b"Cut support")
            copy.writestr(name, content)

    with pytest.raises(RestoreRefused, match="data/actions.Action.json is damaged"):
        area_restore(path=io.BytesIO(damaged.getvalue()))
    with pytest.raises(RestoreRefused, match="not an area backup"):
        area_restore(path=io.BytesIO(data[:100]))
    assert not LocalArea.objects.exists()


@pytest.mark.django_db
def test_each_table_has_a_csv_for_people_beside_its_json(backup, action):
    data = backup(action.priority.strategy.area)
    manifest = manifest_of(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("csv/actions.ActionOwner.csv").decode("utf-8-sig")
        names = set(archive.namelist())
    assert text.splitlines()[0] == "id,action_id,owner_id,order"
    assert len(text.splitlines()) == 1 + ActionOwner.objects.count()
    for label, count in manifest["rows"].items():
        assert {f"data/{label}.json", f"csv/{label}.csv"} <= names
        assert len(part(data, f"data/{label}.json")) == count
    assert manifest["area"] == "Medway"
    assert manifest["app_version"] == "0.1.0"
    assert set(manifest) >= {"format", "app_version", "created_at", "rows", "sha256"}


def edited(data: bytes, changes: dict[str, bytes], *, more_rows: dict | None = None):
    """The backup with these files changed, and its manifest's sha256 of them to match
    (and, with ``more_rows``, more tables listed)."""
    manifest = manifest_of(data)
    manifest["rows"].update(more_rows or {})
    for name, content in changes.items():
        manifest["sha256"][name] = hashlib.sha256(content).hexdigest()
    changes = {**changes, "manifest.json": json.dumps(manifest).encode()}
    copy = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(copy, "w") as target:
        for name in {*source.namelist(), *changes}:
            target.writestr(name, changes.get(name) or source.read(name))
    return io.BytesIO(copy.getvalue())


@pytest.mark.django_db
def test_a_column_or_table_this_version_does_not_have_is_refused(backup, action):
    data = backup(action.priority.strategy.area)
    empty_database()
    rows = part(data, "data/actions.Action.json")
    rows[0]["colour"] = "blue"
    with_column = edited(data, {"data/actions.Action.json": json.dumps(rows).encode()})
    with_table = edited(data, {}, more_rows={"retired.Scheme": 0})

    with pytest.raises(RestoreRefused, match="actions.Action in this backup has columns .*colour"):
        area_restore(path=with_column)
    with pytest.raises(RestoreRefused, match="tables this version does not have: retired.Scheme"):
        area_restore(path=with_table)
    assert not LocalArea.objects.exists()


def held_roles(area_name: str) -> set[tuple[str, str]]:
    memberships = AreaMembership.objects.filter(area__name=area_name)
    return set(memberships.values_list("user__username", "role__name"))


@pytest.mark.django_db
def test_roles_in_the_area_are_restored_by_name_where_groups_have_other_ids(
    backup, officer, board_member, plan_admin
):
    area = officer.area_memberships.get().area
    roles_before = held_roles(area.name)
    assert {role for _, role in roles_before} == {"Officer", "Board member", "Plan admin"}
    data = backup(area)
    ids_before = dict(Group.objects.values_list("name", "pk"))
    empty_database()
    # Another instance made its role groups in another order: each id names another role.
    names = list(ids_before)
    Group.objects.all().delete()
    for name, takes_the_id_of in zip(names, names[1:] + names[:1], strict=True):
        Group.objects.create(pk=ids_before[takes_the_id_of], name=name)
    roles.ensure_role_groups()

    area_restore(path=io.BytesIO(data))

    assert held_roles(area.name) == roles_before
    history = AreaMembership.history.filter(area__name=area.name)
    assert set(history.values_list("user__username", "role__name")) == roles_before
    # People read the role by its name in the backup's files too.
    memberships = part(data, "data/priorities.AreaMembership.json")
    assert {row["role"] for row in memberships} == {"Officer", "Board member", "Plan admin"}


@pytest.mark.django_db
def test_a_role_this_instance_does_not_have_is_refused_and_nothing_written(
    backup, officer, board_member
):
    data = backup(officer.area_memberships.get().area)
    empty_database()
    Group.objects.filter(name="Board member").delete()

    with pytest.raises(
        RestoreRefused, match=r"roles \(groups\) this instance does not have: Board member\."
    ):
        area_restore(path=io.BytesIO(data))
    assert not LocalArea.objects.exists()
    assert not User.objects.filter(username__in=["olivia", "bola"]).exists()
