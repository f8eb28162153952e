"""An officer's pages: their actions, an action, and the form that updates it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from sendplan import roles

from ..forms import ProgressForm
from ..models import Action
from ..selectors import history, pages
from ..services.actions import ActionChangedMeanwhile, action_update_progress
from .access import plan_reader_required


@plan_reader_required
def home(request):
    """Officers land on their actions; board members, who update none, on the plans."""
    if not roles.can_update_own_actions(request.user):
        return redirect("actions:strategies")
    return render(request, "actions/my_actions.html", {"groups": pages.my_actions(request.user)})


@plan_reader_required
def action_detail(request, pk: int):
    try:
        action = pages.action_for_page(pk)
    except Action.DoesNotExist as missing:
        raise Http404("No such action.") from missing
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "timeline": history.action_status_timeline(action),
            "can_update": roles.can_update_action(request.user, action),
        },
    )


@plan_reader_required
def action_update(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("priority__strategy"), pk=pk)
    if not roles.can_update_action(request.user, action):
        raise PermissionDenied(
            "You can only update the actions of the owner roles you hold. If this action is "
            "yours, ask the SEND strategy team to add you to its owner."
        )
    changed_meanwhile = None
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action_update_progress(
                    action=action,
                    user=request.user,
                    status=data["status"],
                    rag=data["rag"],
                    percent_complete=data["percent_complete"],
                    note=data["note"],
                    seen_version=data["seen_version"],
                )
            except ActionChangedMeanwhile as changed:
                action = changed.action
                changed_meanwhile = history.changes_made_meanwhile(action, changed.changes)
                # Their values again, against the version they have now been shown.
                form = ProgressForm(initial={**data, "seen_version": action.version})
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Action {action.reference} updated.")
                return redirect("actions:detail", pk=action.pk)
    else:
        form = ProgressForm(
            initial={
                "status": action.status,
                "rag": action.rag,
                "percent_complete": action.percent_complete,
                "seen_version": action.version,
            }
        )
    return render(
        request,
        "actions/action_update.html",
        {"action": action, "form": form, "changed_meanwhile": changed_meanwhile},
    )
