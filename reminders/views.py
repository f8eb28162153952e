"""Update rounds (start, progress, chase) for plan admins, and everyone's reminder settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import rules
from actions.models import Action
from governance import services as governance_services
from governance.models import Meeting, UpdateRound
from governance.selectors import round_progress
from sendplan.roles import can_manage_governance, get_in_areas_or_404, within_areas

from . import services
from .choices import Cadence
from .forms import PreferenceForm, RoundStartForm
from .selectors import cadence_of


def _require_plan_admin(user) -> None:
    if not can_manage_governance(user):
        raise PermissionDenied("Update rounds are run by plan admins.")


def _sent_message(outcomes) -> str:
    sent = [o.digest.recipient for o in outcomes if o.result == "sent"]
    names = ", ".join(person.get_full_name() or person.get_username() for person in sent)
    problems = [o for o in outcomes if o.result != "sent"]
    text = f"E-mailed {len(sent)} owner{'s' if len(sent) != 1 else ''}" + (
        f": {names}." if names else "."
    )
    if problems:
        text += " Not e-mailed: " + "; ".join(
            f"{o.digest.recipient.get_username()} ({o.result})" for o in problems
        )
        text += "."
    return text


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_save(user=request.user, cadence=form.cleaned_data["cadence"])
            messages.success(request, "Your reminder settings are saved.")
            return redirect("reminders:preferences")
    else:
        form = PreferenceForm(initial={"cadence": cadence_of(request.user)})
    return render(request, "reminders/preferences.html", {"form": form, "off": Cadence.OFF})


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
    return render(request, "reminders/round_list.html", {"coming": coming, "past": past})


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
        return redirect("reminders:round_detail", meeting.update_round.pk)
    plan_actions = list(
        Action.objects.open()
        .filter(priority__strategy_id=meeting.strategy_id)
        .select_related("priority")
        .order_by("priority__number", "order", "reference")
    )
    initial = {
        "deadline": governance_services.round_default_deadline(meeting),
        "actions": [action.pk for action in plan_actions],
    }
    form = RoundStartForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        plan_actions=plan_actions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_round = governance_services.round_start(
                meeting=meeting,
                user=request.user,
                deadline=form.cleaned_data["deadline"],
                actions=form.chosen_actions(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            outcomes = services.round_requests_send(update_round=update_round)
            messages.success(request, "Update round started. " + _sent_message(outcomes))
            return redirect("reminders:round_detail", update_round.pk)
    return render(request, "reminders/round_start.html", {"meeting": meeting, "form": form})


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
        "reminders/round_detail.html",
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
    outcomes = services.round_chase(update_round=update_round, user=request.user)
    if outcomes:
        messages.success(request, "Chased the owners not yet updated. " + _sent_message(outcomes))
    else:
        messages.success(
            request,
            "Nobody to chase now: every owner has updated, or was e-mailed about this round "
            "less than the chase interval ago.",
        )
    return redirect("reminders:round_detail", update_round.pk)
