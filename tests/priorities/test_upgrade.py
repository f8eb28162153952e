"""Upgrading to area-scoped roles takes nobody's access away (until a plan admin narrows it)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("priorities", "0002_area_membership")]
AFTER = [("priorities", "0003_existing_users_keep_their_access")]


@pytest.mark.django_db(transaction=True)
def test_existing_users_keep_every_area_and_the_history_says_why():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, LocalArea = old.get_model("auth", "User"), old.get_model("priorities", "LocalArea")
    medway, kent = LocalArea.objects.create(name="Medway"), LocalArea.objects.create(name="Kent")
    officer = User.objects.create(username="officer")
    User.objects.create(username="root", is_superuser=True)
    old.get_model("priorities", "AreaMembership").objects.create(area=medway, user=officer)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    memberships = new.get_model("priorities", "AreaMembership").objects
    assert sorted(memberships.values_list("user__username", "area__name")) == [
        ("officer", "Kent"),
        ("officer", "Medway"),
    ]
    history = new.get_model("priorities", "HistoricalAreaMembership").objects.get()
    assert (history.area_id, history.history_type) == (kent.pk, "+")
    assert "before roles were scoped to local areas" in history.history_change_reason


ROLES_BEFORE = [("priorities", "0003_existing_users_keep_their_access")]
ROLES_AFTER = [("priorities", "0006_membership_role_required")]


@pytest.mark.django_db(transaction=True)
def test_each_membership_gets_the_users_roles_and_the_history_says_why():
    executor = MigrationExecutor(connection)
    executor.migrate(ROLES_BEFORE)
    old = executor.loader.project_state(ROLES_BEFORE).apps
    User, Group = old.get_model("auth", "User"), old.get_model("auth", "Group")
    LocalArea = old.get_model("priorities", "LocalArea")
    Membership = old.get_model("priorities", "AreaMembership")
    medway, kent = LocalArea.objects.create(name="Medway"), LocalArea.objects.create(name="Kent")
    officer = Group.objects.get_or_create(name="Officer")[0]
    admin = Group.objects.get_or_create(name="Plan admin")[0]
    both = User.objects.create(username="both")
    both.groups.add(officer, admin)
    nobody = User.objects.create(username="nobody")
    for area in (medway, kent):
        Membership.objects.create(area=area, user=both)
    Membership.objects.create(area=medway, user=nobody)

    executor = MigrationExecutor(connection)
    executor.migrate(ROLES_AFTER)

    new = executor.loader.project_state(ROLES_AFTER).apps
    memberships = new.get_model("priorities", "AreaMembership").objects
    assert sorted(memberships.values_list("user__username", "area__name", "role__name")) == [
        ("both", "Kent", "Officer"),
        ("both", "Kent", "Plan admin"),
        ("both", "Medway", "Officer"),
        ("both", "Medway", "Plan admin"),
    ]
    history = new.get_model("priorities", "HistoricalAreaMembership").objects
    recorded = sorted(history.values_list("user_id", "area_id", "role__name", "history_type"))
    assert recorded == sorted(
        [
            (both.pk, medway.pk, "Officer", "~"),
            (both.pk, medway.pk, "Plan admin", "+"),
            (both.pk, kent.pk, "Officer", "~"),
            (both.pk, kent.pk, "Plan admin", "+"),
            (nobody.pk, medway.pk, None, "-"),
        ]
    )
    assert all(
        "roles are held per local area" in row.history_change_reason for row in history.all()
    )
