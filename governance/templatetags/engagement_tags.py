"""Engagements on pages of the apps below governance (the action page), which cannot import it."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("governance/_action_engagements.html")
def action_engagements(action):
    """The engagements that shaped an action or its priority: one query."""
    return {"engagements": selectors.engagements_for_action(action)}
