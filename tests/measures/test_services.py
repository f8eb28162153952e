"""Entering and correcting values: who may, and what the history keeps."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from measures.choices import Series
from measures.models import MeasureValue
from sendplan import roles
from tests.conftest import make_user


def test_officer_enters_a_value_for_a_measure_of_a_role_they_hold(measure, officer, enter):
    value = enter(measure, "Q1 2024-25", 58.3, user=officer, note="From the SEN2 draft.")
    assert (value.value, value.entered_by) == (Decimal("58.3"), officer)
    row = value.history.get()
    assert (row.history_user, row.history_change_reason) == (officer, "From the SEN2 draft.")


def test_officer_cannot_enter_value_for_others_measure(appeals, officer, enter):
    with pytest.raises(PermissionDenied):
        enter(appeals, "2023", 12, user=officer)
    assert not MeasureValue.objects.exists()


def test_officer_cannot_set_a_target_of_their_own_measure(measure, officer, enter):
    with pytest.raises(PermissionDenied):
        enter(measure, "Q1 2024-25", 90, series=Series.TARGET, user=officer)


def test_board_member_cannot_enter_values(measure, board_member, enter):
    with pytest.raises(PermissionDenied):
        enter(measure, "Q1 2024-25", 58, user=board_member)


def test_a_correction_keeps_the_value_it_replaced_and_needs_a_note(measure, officer, enter):
    enter(measure, "Q1 2024-25", 58.3, user=officer)
    with pytest.raises(ValidationError):
        enter(measure, "Q1 2024-25", 61, user=officer)
    corrected = enter(measure, "Q1 2024-25", 61, user=officer, note="Late returns added.")
    assert corrected.value == 61
    old, new = corrected.history.order_by("history_date")
    assert (old.value, new.value, new.history_change_reason) == (
        Decimal("58.3"),
        Decimal("61"),
        "Late returns added.",
    )


def test_entering_the_same_value_again_writes_no_history(measure, officer, enter):
    enter(measure, "Q1 2024-25", 58.3, user=officer)
    enter(measure, "Q1 2024-25", 58.3, user=officer)
    assert MeasureValue.history.count() == 1


def test_a_user_given_no_role_enters_nothing(measure, owner, enter, db):
    stranger = make_user("sam", roles.OFFICER)
    stranger.area_memberships.all().delete()
    owner.holders.add(stranger)
    with pytest.raises(PermissionDenied):
        enter(measure, "Q1 2024-25", 58, user=stranger)
