import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.dateformat import format as format_date

from actions.models import Action

register = template.Library()


@register.filter
def import_value(value) -> str:
    """A field value as the preview shows it: owners as a list, dates as people write them."""
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value) or "(none)"
    if isinstance(value, datetime.date):
        return format_date(value, "j F Y")
    return str(value)


@register.filter
def field_label(name: str) -> str:
    """ "deadline_text" as the admin labels it: "By when (as written)"."""
    try:
        return Action._meta.get_field(name).verbose_name.capitalize()
    except FieldDoesNotExist:
        return name.replace("_", " ").capitalize()
