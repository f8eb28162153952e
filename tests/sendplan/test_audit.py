"""The one module that writes history: single and bulk writes carry the user, reason and stamp."""

import datetime

from actions.models import Owner
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
