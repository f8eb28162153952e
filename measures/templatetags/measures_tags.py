"""Measures on other apps' pages (the dashboard, the action page) without them importing measures.

Each tag reads the measures it shows in a fixed number of queries.
"""

from collections import defaultdict

from django import template

from measures import selectors
from measures.choices import DIRECTION_COLOURS

register = template.Library()


@register.filter
def direction_colour(direction) -> str:
    return DIRECTION_COLOURS.get(direction, "grey")


@register.inclusion_tag("measures/_priority_measures.html")
def priority_measures(strategy, rows):
    """Each priority's measures beside its action counts (rows: the dashboard's count rows)."""
    by_priority = defaultdict(list)
    for figures in selectors.strategy_measures(strategy.pk):
        for link in figures.measure.priority_links.all():
            by_priority[link.priority_id].append(figures)
    return {
        "strategy": strategy,
        "rows": [(row, by_priority.get(row.priority.pk, [])) for row in rows],
        "any_measures": bool(by_priority),
    }


@register.inclusion_tag("measures/_action_measures.html")
def action_measures(action):
    return {"measures": selectors.action_measures(action.pk)}
