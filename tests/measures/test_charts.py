"""The chart tells its lines apart without colour, and copes with a single value."""

from measures.charts import line_chart
from measures.choices import Series
from measures.selectors import measure_for_page


def test_each_line_has_its_own_marker_and_dash(measure, enter, board_member):
    enter(measure, "Q1 2024-25", 52)
    enter(measure, "Q2 2024-25", 57)
    enter(measure, "Q2 2024-25", 60, series=Series.TARGET)
    enter(measure, "Q2 2024-25", 50, series=Series.ENGLAND)
    enter(measure, "Q2 2024-25", 55, series=Series.NEIGHBOUR, comparator="Thurrock")
    enter(measure, "Q2 2024-25", 54, series=Series.NEIGHBOUR, comparator="Swindon")
    chart = line_chart(measure_for_page(measure.pk, board_member))
    lines = chart.lines
    assert [line.label for line in lines] == [
        "Actual",
        "Target",
        "England",
        "Swindon (statistical neighbour)",
        "Thurrock (statistical neighbour)",
    ]
    assert len({line.dash for line in lines}) == len(lines)
    assert len({line.shape for line in lines}) == len(lines)


def test_a_single_value_is_drawn_in_the_middle(measure, enter, board_member):
    enter(measure, "2023", 40)
    chart = line_chart(measure_for_page(measure.pk, board_member))
    (line,) = chart.lines
    assert len(line.markers) == 1
    assert [tick.label for tick in chart.x_ticks] == ["2023"]


def test_no_values_no_chart(measure, board_member):
    assert line_chart(measure_for_page(measure.pk, board_member)) is None
