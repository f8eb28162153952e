"""The board's pages: plans, a plan's dashboard, what changed since a date, the action list.

The action list's CSV download is the plan file's (planfile/views.py).
"""

from datetime import datetime, time

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from priorities.models import Strategy
from sendplan.roles import get_in_areas_or_404

from ..forms import ActionFilterForm, SinceForm, StaleDaysForm
from ..selectors import history, pages
from .access import plan_reader_required


def _strategy(request, pk: int) -> Strategy:
    return get_in_areas_or_404(request.user, Strategy.objects.select_related("area"), pk=pk)


@plan_reader_required
def strategy_list(request):
    return render(
        request,
        "actions/strategy_list.html",
        {"strategies": pages.strategies_with_counts(request.user)},
    )


@plan_reader_required
def dashboard(request, pk: int):
    strategy = _strategy(request, pk)
    today = timezone.localdate()
    stale_form = StaleDaysForm(
        request.GET if "stale_days" in request.GET else None,
        initial={"stale_days": settings.SENDPLAN_STALE_AFTER_DAYS},
    )
    stale_days = stale_form.stale_days_or_default()
    since = history.since_last_meeting(strategy, today)
    completion = history.completion_over_time(strategy, today)
    return render(
        request,
        "actions/dashboard.html",
        {
            "strategy": strategy,
            "today": today,
            "stale_form": stale_form,
            "stale_words": f"with no update for {stale_days} days",
            "dashboard": pages.dashboard_for_strategy(strategy, today, stale_days),
            "exceptions": pages.plan_exceptions(strategy, today, stale_days),
            "since": since,
            "travel": history.direction_of_travel(
                strategy, since=since.moment, since_day=since.day, today=today
            ),
            "completion": completion,
            "any_completed": any(month.completed for month in completion),
        },
    )


@plan_reader_required
def changes_since(request, pk: int):
    strategy = _strategy(request, pk)
    form = SinceForm(
        request.GET if "since" in request.GET else None,
        initial={"since": SinceForm.default_since()},
    )
    if form.is_bound:
        since = form.cleaned_data["since"] if form.is_valid() else None
    else:
        since = SinceForm.default_since()
    changes = None
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, time.min))
        changes = history.plan_events(strategy, start)
    return render(
        request,
        "actions/changes.html",
        {"strategy": strategy, "form": form, "since": since, "changes": changes},
    )


@plan_reader_required
def action_list(request, pk: int):
    strategy = _strategy(request, pk)
    form = ActionFilterForm(request.GET, strategy=strategy)
    actions = None
    if form.is_valid():
        actions = pages.action_list(strategy, form.cleaned_data, timezone.localdate())
    return render(
        request,
        "actions/action_list.html",
        {"strategy": strategy, "form": form, "actions": actions},
        status=200 if actions is not None else 400,
    )
