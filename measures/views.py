"""A plan's measures, a page per measure (chart and table), and entering a value."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.views.access import plan_reader_required
from priorities.models import Strategy
from sendplan.roles import can_enter_values, get_in_areas_or_404

from . import selectors, services
from .charts import line_chart
from .forms import SinceForm, ValueForm
from .models import Measure


@plan_reader_required
def measure_list(request, pk: int):
    strategy = get_in_areas_or_404(request.user, Strategy.objects.select_related("area"), pk=pk)
    measures = selectors.strategy_measures(strategy.pk)
    return render(
        request,
        "measures/measure_list.html",
        {
            "strategy": strategy,
            "measures": measures,
            "illustrative": any(f.measure.is_illustrative for f in measures),
        },
    )


@plan_reader_required
def measure_detail(request, pk: int):
    since_form = SinceForm(request.GET or None)
    since = since_form.cleaned_data["since"] if since_form.is_valid() else None
    figures = selectors.measure_for_page(pk, request.user, since=since)
    if figures is None:
        raise Http404("No such measure.")
    return render(
        request,
        "measures/measure_detail.html",
        {
            "figures": figures,
            "measure": figures.measure,
            "strategy": figures.measure.strategy,
            "chart": line_chart(figures),
            "corrections": selectors.value_corrections(figures.measure),
            "can_enter": can_enter_values(request.user, figures.measure),
            "since_form": since_form,
            "since": since,
        },
    )


@require_http_methods(["GET", "POST"])
@plan_reader_required
def value_create(request, pk: int):
    measure = get_in_areas_or_404(
        request.user, Measure.objects.select_related("strategy__area", "owner"), pk=pk
    )
    if not can_enter_values(request.user, measure):
        raise PermissionDenied(
            "Only holders of this measure's owner role and plan admins enter its values."
        )
    form = ValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            value, written = services.value_record(
                measure=measure,
                period_end=data["period_end"],
                period_label=data["period_label"],
                value=data["value"],
                is_provisional=data["is_provisional"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            shown = f"{value.period_label}: {measure.name}"
            messages.success(
                request, f"Value saved for {shown}." if written else f"No change to {shown}."
            )
            return redirect("measures:detail", pk=measure.pk)
    return render(request, "measures/value_form.html", {"measure": measure, "form": form})
