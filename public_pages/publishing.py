"""Signed-in pages where officers draft public text and plan admins approve it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actions.models import Action
from actions.views.access import plan_reader_required
from measures.models import Measure
from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy
from sendplan import roles

from . import services
from .forms import ActionTextForm, PriorityTextForm, StrategyPublicationForm
from .models import ActionPublication, PriorityPublication, StrategyPublication


@plan_reader_required
def strategy_list(request):
    strategies = roles.within_areas(
        request.user,
        Strategy.objects.select_related("area", "publication").exclude(
            stage=StrategyStage.ARCHIVED
        ),
    )
    return render(request, "public/publishing/strategy_list.html", {"strategies": strategies})


@plan_reader_required
def strategy_overview(request, pk: int):
    strategy = roles.get_in_areas_or_404(
        request.user, Strategy.objects.select_related("area"), pk=pk
    )
    publication = StrategyPublication.objects.filter(strategy=strategy).first()
    can_publish = roles.can_publish_public_text(request.user, strategy)
    priorities = list(
        Priority.objects.filter(strategy=strategy)
        .select_related("publication")
        .order_by("order", "number")
    )
    actions = list(Action.objects.filter(priority__strategy=strategy).select_related("publication"))
    # Which actions the user may draft for, in one query: the rule of roles.can_draft_public_text.
    own = set(
        Action.objects.filter(priority__strategy=strategy, owners__holders=request.user)
        .values_list("pk", flat=True)
        .distinct()
    )
    drafts_all = can_publish or roles.can_edit_plan(request.user, strategy)
    for priority in priorities:
        priority.public_actions = [a for a in actions if a.priority_id == priority.pk]
        priority.can_draft = drafts_all or any(a.pk in own for a in priority.public_actions)
        for action in priority.public_actions:
            action.can_draft = drafts_all or action.pk in own
    form = StrategyPublicationForm(
        initial={
            "is_published": publication.is_published if publication else False,
            "introduction": publication.introduction if publication else "",
        }
    )
    measures = Measure.objects.filter(strategy=strategy).select_related("publication")
    return render(
        request,
        "public/publishing/strategy_overview.html",
        {
            "strategy": strategy,
            "publication": publication,
            "priorities": priorities,
            "measures": measures,
            "can_publish": can_publish,
            "form": form,
        },
    )


@require_POST
@plan_reader_required
def strategy_publish(request, pk: int):
    strategy = roles.get_in_areas_or_404(request.user, Strategy, pk=pk)
    if not roles.can_publish_public_text(request.user, strategy):
        raise PermissionDenied("Only plan admins publish a strategy's public page.")
    form = StrategyPublicationForm(request.POST)
    if form.is_valid():
        services.strategy_publication_save(
            strategy=strategy,
            user=request.user,
            is_published=form.cleaned_data["is_published"],
            introduction=form.cleaned_data["introduction"],
        )
        messages.success(request, "Public page settings saved.")
    return redirect("publishing:strategy", pk=pk)


@plan_reader_required
def priority_text(request, pk: int):
    priority = roles.get_in_areas_or_404(
        request.user, Priority.objects.select_related("strategy__area"), pk=pk
    )
    if not roles.can_draft_public_text(request.user, priority=priority):
        raise PermissionDenied(
            "You can draft public text for priorities with actions of the owner roles you hold."
        )
    publication = PriorityPublication.objects.filter(priority=priority).first()
    if request.method == "POST":
        form = PriorityTextForm(request.POST)
        if form.is_valid():
            services.priority_publication_draft(
                priority=priority, user=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                f"Draft for priority {priority.number} saved. "
                "It goes on the public page when a plan admin approves it.",
            )
            return redirect("publishing:strategy", pk=priority.strategy_id)
    else:
        form = PriorityTextForm(
            initial={
                "easy_read": publication.draft_easy_read if publication else "",
                "summary": publication.draft_summary if publication else "",
            }
        )
    return render(
        request,
        "public/publishing/text_form.html",
        {
            "form": form,
            "strategy": priority.strategy,
            "heading": f"Public text for priority {priority.number}",
            "about": priority.title,
            "publication": publication,
        },
    )


@plan_reader_required
def action_text(request, pk: int):
    action = roles.get_in_areas_or_404(
        request.user, Action.objects.select_related("priority__strategy__area"), pk=pk
    )
    if not roles.can_draft_public_text(request.user, action=action):
        raise PermissionDenied("You can draft public text for the actions of roles you hold.")
    publication = ActionPublication.objects.filter(action=action).first()
    if request.method == "POST":
        form = ActionTextForm(request.POST)
        if form.is_valid():
            services.action_publication_draft(action=action, user=request.user, **form.cleaned_data)
            messages.success(
                request,
                f"Draft for action {action.reference} saved. "
                "It goes on the public page when a plan admin approves it.",
            )
            return redirect("publishing:strategy", pk=action.priority.strategy_id)
    else:
        form = ActionTextForm(
            initial={
                "title": publication.draft_title if publication else "",
                "status": publication.draft_status if publication else "",
            }
        )
    return render(
        request,
        "public/publishing/text_form.html",
        {
            "form": form,
            "strategy": action.priority.strategy,
            "heading": f"Public text for action {action.reference}",
            "about": action.text,
            "publication": publication,
        },
    )


_APPROVABLE = {"priority": PriorityPublication, "action": ActionPublication}


@require_POST
@plan_reader_required
def approve(request, kind: str, pk: int):
    if kind not in _APPROVABLE:
        raise PermissionDenied("Nothing to approve here.")
    publication = roles.get_in_areas_or_404(request.user, _APPROVABLE[kind], pk=pk)
    if not roles.can_publish_public_text(request.user, publication):
        raise PermissionDenied("Only plan admins approve text for the public pages.")
    try:
        services.publication_approve(publication=publication, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{publication} approved: it shows on the public page within a minute."
        )
    strategy_id = (
        publication.priority.strategy_id
        if kind == "priority"
        else publication.action.priority.strategy_id
    )
    return redirect("publishing:strategy", pk=strategy_id)


@require_POST
@plan_reader_required
def measure_publish(request, pk: int):
    measure = roles.get_in_areas_or_404(request.user, Measure, pk=pk)
    if not roles.can_publish_public_text(request.user, measure):
        raise PermissionDenied("Only plan admins choose the measures on the public page.")
    shown = request.POST.get("publish") == "yes"
    services.measure_publication_save(measure=measure, user=request.user, is_published=shown)
    messages.success(
        request,
        f"“{measure.name}” "
        + ("shows on the public page within a minute." if shown else "is off the public page."),
    )
    return redirect("publishing:strategy", pk=measure.strategy_id)
