"""The action list's CSV download: the plan file's layout, served at the actions' URL."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from actions.forms import ActionFilterForm
from actions.selectors.pages import filter_actions
from actions.views.access import plan_reader_required
from priorities.models import Strategy
from sendplan.roles import get_in_areas_or_404

from .exporter import export_plan


def attachment(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file download of this name."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@plan_reader_required
def action_list_csv(request, pk: int):
    """The filtered list in the plan's spreadsheet layout, which re-imports unchanged."""
    strategy = get_in_areas_or_404(request.user, Strategy.objects.select_related("area"), pk=pk)
    form = ActionFilterForm(request.GET, strategy=strategy)
    if not form.is_valid():
        # The list page explains what is wrong with the filters.
        return redirect(f"{reverse('actions:list', args=[pk])}?{request.GET.urlencode()}")
    actions = filter_actions(strategy, form.cleaned_data, timezone.localdate())
    return attachment(
        export_plan(actions, "csv"),
        content_type="text/csv; charset=utf-8",
        filename=f"actions-{strategy.pk}-{timezone.localdate():%Y-%m-%d}.csv",
    )
