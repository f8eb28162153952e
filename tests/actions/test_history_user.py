"""The action and ownership history tables keep a database foreign key to the user who
made each change (decision 0010, as restored): a deleted user's changes stay on record,
naming no one, and a row can never name a user who does not exist."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from actions.choices import Status
from actions.models import Action, ActionOwner, Owner
from actions.selectors.history import action_status_timeline
from actions.services.actions import action_save
from sendplan.audit import save_with_history

HISTORY_TABLES = [Action.history.model._meta.db_table, ActionOwner.history.model._meta.db_table]


@pytest.mark.django_db
def test_both_history_tables_have_a_foreign_key_to_the_user():
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            keys = [
                found["foreign_key"]
                for found in connection.introspection.get_constraints(cursor, table).values()
                if found["columns"] == ["history_user_id"] and found["foreign_key"]
            ]
            assert keys == [(User._meta.db_table, "id")], table


def test_deleting_a_user_keeps_their_changes_on_record_naming_no_one(action, plan_admin):
    # (Whoever wrote a progress note is kept: ProgressUpdate.author is protected.)
    action.status = Status.BLOCKED
    action_save(action=action, user=plan_admin, reason="Provider withdrew")
    before = action.history.count()

    plan_admin.delete()

    assert action.history.count() == before
    latest = action.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (None, "Provider withdrew")
    assert action_status_timeline(action)[-1].note == "Provider withdrew"


def test_a_user_named_in_the_history_cannot_be_removed_behind_djangos_back(action, area):
    # A user whom only the history names, removed by SQL: the key refuses it.
    former = User.objects.create_user("former")
    pep = Owner.objects.create(area=area, name="Principal Educational Psychologist")
    save_with_history(ActionOwner(action=action, owner=pep, order=2), user=former, reason="")
    table = connection.ops.quote_name(User._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [former.pk])
        connection.check_constraints(table_names=HISTORY_TABLES)
    assert User.objects.filter(pk=former.pk).exists()


BEFORE = [("actions", "0005_no_index_of_deleted_actions")]
AFTER = [("actions", "0007_history_user_key_restored")]
GONE = 987654


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_clears_history_users_no_longer_there_and_keeps_the_rest():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        user = old.get_model("auth", "User").objects.create(username="pat")
        written = []
        for name in ("HistoricalAction", "HistoricalActionOwner"):
            history = old.get_model("actions", name).objects
            # Rows naming the user, nobody (a command) and a user deleted by SQL, as the
            # tables allowed without the key.
            fields = {"reference": "1.1", "text": "Review"} if name == "HistoricalAction" else {}
            for who in (user.pk, None, GONE):
                row = history.create(
                    id=1,
                    history_date="2026-01-05T09:00:00Z",
                    history_type="~",
                    history_user_id=who,
                    history_change_reason="Board asked",
                    **fields,
                )
                written.append((name, row.history_id))

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        new = executor.loader.project_state(AFTER).apps
        found = [
            new.get_model("actions", name)
            .objects.values_list("history_user_id", "history_change_reason")
            .get(history_id=history_id)
            for name, history_id in written
        ]
        assert found == [(user.pk, "Board asked"), (None, "Board asked"), (None, "Board asked")] * 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
