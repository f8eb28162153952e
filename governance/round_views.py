"""Update rounds for plan admins: the coming meetings, starting a round, its progress, and
chasing the owners not yet updated. The e-mails are sent by whoever hears governance's
round signals (the reminders app), which says in a sentence what it sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import rules
from actions.models import Action
from sendplan.roles import can_manage_governance, get_in_areas_or_404, within_areas

from . import services
from .forms import RoundStartForm
from .models import Meeting, UpdateRound
from .selectors import round_progress
from .signals import round_chase_asked, round_started


def _require_plan_admin(user) -> None:
    if not can_manage_governance(user):
        raise PermissionDenied("Update rounds are run by plan admins.")


def _said(responses) -> str:
    """What the signal's receivers said they did, one sentence each."""
    return " ".join(sentence for _, sentence in responses if sentence)


@require_GET
@login_required
def round_list(request):
    _require_plan_admin(request.user)
    coming = (
        within_areas(
            request.user,
            Meeting.objects.filter(date__gte=rules.today()),
            "governance.change_meeting",
        )
        .select_related("board__area", "strategy", "update_round")
        .order_by("date", "board__name")
    )
    past = within_areas(
        request.user,
        UpdateRound.objects.filter(meeting__date__lt=rules.today()),
        "governance.change_meeting",
    ).select_related("meeting__board")
    return render(request, "governance/round_list.html", {"coming": coming, "past": past})


@require_http_methods(["GET", "POST"])
@login_required
def round_start(request, meeting_pk: int):
    _require_plan_admin(request.user)
    meeting = get_in_areas_or_404(
        request.user,
        Meeting.objects.select_related("board", "strategy"),
        perm="governance.change_meeting",
        pk=meeting_pk,
    )
    if hasattr(meeting, "update_round"):
        return redirect("rounds:detail", meeting.update_round.pk)
    plan_actions = list(
        Action.objects.open()
        .filter(priority__strategy_id=meeting.strategy_id)
        .select_related("priority")
        .order_by("priority__number", "order", "reference")
    )
    initial = {
        "deadline": services.round_default_deadline(meeting),
        "actions": [action.pk for action in plan_actions],
    }
    form = RoundStartForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        plan_actions=plan_actions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_round = services.round_start(
                meeting=meeting,
                user=request.user,
                deadline=form.cleaned_data["deadline"],
                actions=form.chosen_actions(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # The owners are asked now, so the plan admin sees who was; the hourly e-mail
            # job asks whoever was missed.
            said = _said(round_started.send(sender=UpdateRound, update_round=update_round))
            messages.success(request, f"Update round started. {said}".strip())
            return redirect("rounds:detail", update_round.pk)
    return render(request, "governance/round_start.html", {"meeting": meeting, "form": form})


def _round(request, pk: int) -> UpdateRound:
    return get_in_areas_or_404(
        request.user,
        UpdateRound.objects.select_related(
            "meeting__board__area", "meeting__strategy", "started_by"
        ),
        perm="governance.change_meeting",
        pk=pk,
    )


@require_GET
@login_required
def round_detail(request, pk: int):
    _require_plan_admin(request.user)
    update_round = _round(request, pk)
    return render(
        request,
        "governance/round_detail.html",
        {
            "progress": round_progress(update_round),
            "round": update_round,
            "is_open": update_round.meeting.date >= rules.today(),
        },
    )


@require_POST
@login_required
def round_chase(request, pk: int):
    _require_plan_admin(request.user)
    update_round = _round(request, pk)
    said = _said(
        round_chase_asked.send(sender=UpdateRound, update_round=update_round, user=request.user)
    )
    if said:
        messages.success(request, said)
    return redirect("rounds:detail", update_round.pk)
