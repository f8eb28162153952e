"""A measure's lines as an SVG line chart drawn on the server: no script, prints on A4.

Colour is never the only cue: each line has its own dash pattern and marker shape, named
in the chart's legend, and the page puts a table of the same figures beside it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .choices import Series

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 72, 16, 110  # room for the axis labels and the legend
# (colour, dash pattern, marker) per series; neighbours take the spare markers in turn.
STYLES = {
    Series.ACTUAL: ("#1d70b8", "", "circle"),
    Series.TARGET: ("#0b0c0c", "8 4", "square"),
    Series.ENGLAND: ("#b58840", "2 3", "triangle"),
    Series.REGION: ("#4c2c92", "8 3 2 3", "diamond"),
}
MIN_LABEL_GAP = 30  # pixels between the period labels along the bottom
NEIGHBOUR_STYLES = [("#505a5f", "12 4", "cross"), ("#28a197", "4 4", "star")]


def marker_path(shape: str, x: float, y: float, r: float = 4.5) -> str:
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "diamond":
        s = r + 1
        return f"M{x:.1f},{y - s:.1f}l{s},{s}l{-s},{s}l{-s},{-s}Z"
    if shape == "cross":
        return f"M{x - r:.1f},{y - r:.1f}l{2 * r},{2 * r}m{-2 * r},0l{2 * r},{-2 * r}"
    return f"M{x - r:.1f},{y:.1f}H{x + r:.1f}M{x:.1f},{y - r:.1f}V{y + r:.1f}"  # a plus: "star"


@dataclass
class ChartLine:
    label: str
    colour: str
    dash: str
    shape: str
    path: str
    markers: list[str]
    filled: bool
    legend_x: float
    legend_y: float
    legend_marker: str


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    lines: list[ChartLine]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _nice_step(span: float) -> float:
    rough = span / 5 or 1
    magnitude = 10 ** len(str(int(rough))) / 10 if rough >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= rough:
            return step * magnitude
    return 10 * magnitude


def line_chart(figures) -> Chart | None:
    """The chart of a measure's lines (selectors.MeasureFigures), or None with no values."""
    lines = figures.lines
    points = [point for line in lines for point in line.points]
    if not points:
        return None
    values = [float(point.value) for point in points]
    top_value = max(values)
    step = _nice_step(top_value - min(0.0, min(values)))
    y_min = min(0.0, (min(values) // step) * step)
    y_max = (int(top_value / step) + 1) * step
    days = sorted({point.period_end for point in points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: datetime.date) -> float:
        if first == last:
            return (LEFT + plot_right) / 2
        return LEFT + (day - first).days / span * (plot_right - LEFT)

    def y(value: Decimal) -> float:
        return plot_bottom - (float(value) - y_min) / (y_max - y_min) * (plot_bottom - TOP)

    chart_lines = []
    spare = iter(NEIGHBOUR_STYLES * 4)
    for position, line in enumerate(lines):
        colour, dash, shape = STYLES.get(line.series) or next(spare)
        coords = [(x(p.period_end), y(p.value)) for p in line.points]
        legend_x = LEFT + (position % 3) * 190
        legend_y = plot_bottom + 62 + (position // 3) * 20
        chart_lines.append(
            ChartLine(
                label=line.label,
                colour=colour,
                dash=dash,
                shape=shape,
                path="M" + "L".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords),
                markers=[marker_path(shape, cx, cy) for cx, cy in coords],
                filled=shape not in ("cross", "star"),
                legend_x=legend_x,
                legend_y=legend_y,
                legend_marker=marker_path(shape, legend_x + 14, legend_y),
            )
        )
    y_ticks = []
    tick = y_min
    while tick <= y_max + step / 1000:
        label = f"{tick:,.1f}".removesuffix(".0")
        y_ticks.append(Tick(y(Decimal(str(tick))), label))
        tick += step
    labels = {p.period_end: p.period_label for p in reversed(points)}
    labels.update({p.period_end: p.period_label for p in figures.actual.points})
    # Labelled from the latest back, leaving room between labels so that none overlap.
    x_ticks, last_x = [], None
    for day in reversed(days):
        if last_x is None or last_x - x(day) >= MIN_LABEL_GAP:
            x_ticks.append(Tick(x(day), labels[day]))
            last_x = x(day)
    return Chart(WIDTH, HEIGHT, LEFT, plot_right, TOP, plot_bottom, chart_lines, y_ticks, x_ticks)
