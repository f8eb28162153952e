"""On track or off track, and the direction of travel, in words, for either better direction."""

import datetime
from decimal import Decimal

from measures.choices import Better, Direction, Frequency
from measures.judgement import Point, judge
from measures.periods import period_end


def points(*pairs) -> list[Point]:
    return [Point(period_end(label), label, Decimal(str(value))) for label, value in pairs]


def test_higher_is_better_latest_above_the_target_due_is_on_track_and_better():
    j = judge(
        better=Better.HIGHER,
        frequency=Frequency.QUARTERLY,
        actual=points(("Q1 2024-25", 50), ("Q2 2024-25", 62)),
        targets=points(("Q1 2024-25", 55), ("Q2 2024-25", 60), ("Q3 2024-25", 70)),
    )
    assert (j.track_words, j.target.value, j.since_previous) == ("On track", 60, Direction.BETTER)


def test_lower_is_better_a_fall_is_better_and_a_value_over_the_target_is_off_track():
    j = judge(
        better=Better.LOWER,
        frequency=Frequency.ANNUAL,
        actual=points(("2022", 40), ("2023", 35)),
        targets=points(("2023", 30)),
    )
    assert (j.track_words, j.since_previous) == ("Off track", Direction.BETTER)
    rising = judge(
        better=Better.LOWER,
        frequency=Frequency.ANNUAL,
        actual=points(("2022", 30), ("2023", 35)),
        targets=points(("2023", 40)),
    )
    assert (rising.track_words, rising.since_previous) == ("On track", Direction.WORSE)


def test_the_target_judged_is_the_latest_due_by_the_values_period_not_a_later_one():
    j = judge(
        better=Better.HIGHER,
        frequency=Frequency.QUARTERLY,
        actual=points(("Q1 2024-25", 58)),
        targets=points(("Q4 2023-24", 55), ("Q4 2024-25", 80)),
    )
    assert (j.target.period_label, j.on_track) == ("Q4 2023-24", True)


def test_no_target_due_yet_and_no_values_are_said_in_words():
    j = judge(
        better=Better.HIGHER,
        frequency=Frequency.ANNUAL,
        actual=points(("2023", 58)),
        targets=points(("2025", 80)),
    )
    assert (j.track_words, j.on_track, j.since_previous) == ("No target due by 2023", None, None)
    empty = judge(better=Better.HIGHER, frequency=Frequency.ANNUAL, actual=[], targets=[])
    assert empty.track_words == "No value yet"


def test_a_missing_period_compares_with_the_last_value_there_is_and_says_so():
    j = judge(
        better=Better.HIGHER,
        frequency=Frequency.QUARTERLY,
        actual=points(("Q1 2024-25", 58), ("Q3 2024-25", 58)),
        targets=[],
    )
    assert (j.previous.period_label, j.since_previous, j.periods_missing) == (
        "Q1 2024-25",
        Direction.SAME,
        True,
    )
    consecutive = judge(
        better=Better.HIGHER,
        frequency=Frequency.TERMLY,
        actual=points(("Summer term 2024", 50), ("Autumn term 2024", 52)),
        targets=[],
    )
    assert consecutive.periods_missing is False


def test_direction_since_an_earlier_value_such_as_the_previous_meeting():
    earlier = Point(datetime.date(2023, 12, 31), "2023", Decimal("30"))
    j = judge(
        better=Better.LOWER,
        frequency=Frequency.ANNUAL,
        actual=points(("2023", 30), ("2024", 31)),
        targets=[],
        earlier=earlier,
    )
    assert j.since_earlier == Direction.WORSE


def test_periods_as_people_write_them_end_on_the_right_day():
    assert period_end("2023") == datetime.date(2023, 12, 31)
    assert period_end("Q2 2024-25") == datetime.date(2024, 9, 30)
    assert period_end("Q4 2024-25") == datetime.date(2025, 3, 31)
    assert period_end("Spring term 2025") == datetime.date(2025, 3, 31)
    assert period_end("2022/23") == datetime.date(2023, 8, 31)
    assert period_end("March 2025") == datetime.date(2025, 3, 31)
    assert period_end("2022-24") is None
    assert period_end("next year") is None
