"""The one module that writes history: single and bulk writes carry the user, reason and stamp."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from actions.models import Action, Owner
from measures.models import Measure
from sendplan.audit import (
    bulk_create_with_history,
    bulk_update_with_history,
    delete_with_history,
    history_stamped,
)

WHEN = datetime.datetime(2024, 1, 5, 9, tzinfo=datetime.UTC)


def test_history_stamp_dates_rows_inside_the_block_only(area):
    with history_stamped(date=WHEN):
        first = Owner.objects.create(area=area, name="Operational lead")
    second = Owner.objects.create(area=area, name="Cabinet member")
    assert first.history.get().history_date == WHEN
    assert second.history.get().history_date > WHEN


def test_bulk_writes_record_user_reason_and_stamp_like_single_saves(area, plan_admin):
    owners = [Owner(area=area, name=f"Lead {n}") for n in (1, 2)]
    for owner in owners:
        owner.full_clean()  # the callers' part: bulk writes do not validate
    with history_stamped(date=WHEN):
        bulk_create_with_history(owners, Owner, user=plan_admin, reason="Imported")
    for owner in owners:
        owner.organisation = "council"
    bulk_update_with_history(owners, Owner, ["organisation"], user=plan_admin, reason="Checked")
    rows = Owner.history.order_by("history_id").values_list(
        "name", "organisation", "history_type", "history_user", "history_change_reason"
    )
    assert list(rows) == [
        ("Lead 1", "", "+", plan_admin.pk, "Imported"),
        ("Lead 2", "", "+", plan_admin.pk, "Imported"),
        ("Lead 1", "council", "~", plan_admin.pk, "Checked"),
        ("Lead 2", "council", "~", plan_admin.pk, "Checked"),
    ]
    assert {row.history_date for row in Owner.history.filter(history_type="+")} == {WHEN}


def test_delete_with_history_deletes_each_in_turn_with_the_user(area, plan_admin):
    owners = [Owner.objects.create(area=area, name=f"Lead {n}") for n in (1, 2)]
    delete_with_history(*owners, user=plan_admin, reason="Merged")
    assert not Owner.objects.exists()
    deleted = Owner.history.filter(history_type="-").order_by("history_id")
    assert [(row.name, row.history_user, row.history_change_reason) for row in deleted] == [
        ("Lead 1", plan_admin, "Merged"),
        ("Lead 2", plan_admin, "Merged"),
    ]


def test_bulk_create_writes_every_column_type_and_history(strategy, plan_admin):
    # On PostgreSQL a table of plain columns is copied in binary and one with any other
    # type (here a decimal) as text: both must store what was given, history included.
    measures = [
        Measure(
            strategy=strategy,
            name=f"Measure {n}",
            baseline_value=Decimal("12.3456"),
            baseline_period_end=datetime.date(2024, 3, 31),
            is_illustrative=True,
            order=n,
        )
        for n in (1, 2)
    ]
    owners = [Owner(area=strategy.area, name="Lead", aliases="Lead officer\nLO")]
    bulk_create_with_history(measures, Measure, user=plan_admin, reason="Imported")
    bulk_create_with_history(owners, Owner, user=plan_admin, reason="Imported")
    stored = Measure.objects.order_by("order").values_list(
        "pk", "name", "baseline_value", "baseline_period_end", "is_illustrative", "order"
    )
    assert list(stored) == [
        (m.pk, m.name, Decimal("12.3456"), datetime.date(2024, 3, 31), True, m.order)
        for m in measures
    ]
    assert Owner.objects.get(pk=owners[0].pk).alias_list == ["Lead officer", "LO"]
    history = Measure.history.order_by("history_id").values_list(
        "id", "baseline_value", "history_user", "history_change_reason"
    )
    assert list(history) == [
        (m.pk, Decimal("12.3456"), plan_admin.pk, "Imported") for m in measures
    ]


def test_bulk_history_naming_a_user_who_does_not_exist_is_refused_by_the_database(priority):
    # Every history table keeps its foreign key to the user (decision 0010, restored): a
    # bulk write is checked by it as a single save is.
    gone = User(pk=987654, username="gone")
    action = Action(priority=priority, reference="9.1", text="Review the offer.")
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_create_with_history([action], Action, user=gone, reason="Imported")
        connection.check_constraints(table_names=[Action.history.model._meta.db_table])
    assert not Action.history.filter(reference="9.1").exists()
    assert not Action.objects.filter(reference="9.1").exists()
