"""Tags and filters of the officer and board pages: status and RAG tags, roles, "how long ago"."""

from dataclasses import dataclass
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
    """A count linking to the actions it counts; hidden words say what the bare number means.

    ``what`` is said of many ("overdue actions"): for one, "actions" becomes "action"."""
    where = f"in priority {priority.number}" if priority else "in all priorities"
    if count == 1:
        what = what.replace("actions", "action")
    if not count:
        return format_html('0<span class="govuk-visually-hidden"> {} {}</span>', what, where)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {} {}</span></a>',
        href,
        count,
        what,
        where,
    )


# Each non-zero count gets at least this share of a bar (percent), so its number fits in it.
_MIN_SHARE = 12


@dataclass(frozen=True)
class Segment:
    """One segment of a bar chart: a value's count, where it starts and how wide (percent)."""

    value: str
    label: str
    count: int
    x: float
    width: float

    @property
    def key(self) -> str:
        return self.value or "not_rated"

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)


@register.simple_tag
def bar_segments(counts) -> list[Segment]:
    """The non-zero [(choice, count)] as segments filling a bar, in order, in proportion to
    their counts but each at least _MIN_SHARE percent wide."""
    shown = [(choice, count) for choice, count in counts if count]
    total = sum(count for _, count in shown)
    spare = 100 - _MIN_SHARE * len(shown)
    segments, x = [], 0.0
    for choice, count in shown:
        width = round(_MIN_SHARE + spare * count / total, 2)
        segments.append(Segment(choice.value, choice.label, count, round(x, 2), width))
        x += width
    return segments
