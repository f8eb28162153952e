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
