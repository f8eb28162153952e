"""Tags and filters of the officer and board pages: status and RAG tags, roles, "how long ago"."""

from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from sendplan import roles

from ..choices import RAG_COLOURS, STATUS_COLOURS, Rag, Status

register = template.Library()


@register.simple_tag
def status_tag(value: str):
    """A coloured tag that always carries its label, so colour is never the only signal."""
    status = Status(value)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', STATUS_COLOURS[status], status.label
    )


@register.simple_tag
def rag_tag(value: str):
    rag = Rag(value)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', RAG_COLOURS[rag], rag.label
    )


@register.filter
def ago(value) -> str:
    """ "3 weeks ago": only the largest unit, which is what a reader scanning a list needs."""
    if value is None:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def role_names(user) -> str:
    return ", ".join(roles.role_names(user))


@register.filter
def can_edit_plan(user) -> bool:
    return roles.can_edit_plan(user)


@register.filter
def can_update_own_actions(user) -> bool:
    return roles.can_update_own_actions(user)


@register.filter
def can_view_plan(user) -> bool:
    return roles.can_view_plan(user)


@register.filter
def govuk_widget(field, css_classes: str):
    """A field's widget with its GOV.UK classes, error modifier and the ids describing it.

    css_classes: the component's class, then any modifiers: "govuk-input govuk-input--width-10".
    """
    described_by = [f"{field.auto_id}-hint"] if field.help_text else []
    classes = css_classes.split()
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        classes.append(f"{classes[0]}--error")
    attrs = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field) -> str:
    """Where an error summary's link for the field goes: the first of a group of radios or
    checkboxes."""
    if getattr(field.field.widget, "input_type", "") in ("radio", "checkbox"):
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.filter
def slip(days: int) -> str:
    """ "30 days later" or "1 day earlier": how far a due date has moved."""
    count = abs(days)
    unit = "day" if count == 1 else "days"
    return f"{count} {unit} {'later' if days > 0 else 'earlier'}"


@register.simple_tag
def list_url(strategy, priority=None, **filters) -> str:
    """The action list of the strategy, filtered to one priority (or all) and the filters."""
    query = {"priority": priority.pk} if priority else {}
    query.update(filters)
    url = reverse("actions:list", args=[strategy.pk])
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag
def count_link(count: int, href: str, what: str, priority=None):
    """A count linking to the actions it counts; hidden words say what the bare number means."""
    where = f"in priority {priority.number}" if priority else "in all priorities"
    if not count:
        return format_html('0<span class="govuk-visually-hidden"> {} {}</span>', what, where)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {} {}</span></a>',
        href,
        count,
        what,
        where,
    )
