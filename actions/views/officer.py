"""An officer's pages: their actions, an action, and the form that updates it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from sendplan import roles

from .. import rules
from ..forms import MyActionsFilterForm, ProgressForm
from ..models import Action
from ..selectors import history, pages
from ..services.actions import ActionChangedMeanwhile, action_is_archived
from ..services.owner_update import action_update_by_owner
from .access import plan_reader_required


@plan_reader_required
def home(request):
    """Officers land on their actions; board members, who update none, on the plans."""
    if not roles.can_update_own_actions(request.user):
        return redirect("actions:strategies")
    plans = pages.my_plans(request.user)
    form = MyActionsFilterForm(request.GET or None, strategies=plans)
    # A filter that does not validate is shown with its error, over all the user's actions.
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    mine = pages.my_actions(request.user, today=rules.today(), **filters)
    return render(request, "actions/my_actions.html", {"mine": mine, "form": form, "plans": plans})


@plan_reader_required
def action_detail(request, pk: int):
    try:
        action = pages.action_for_page(pk, request.user)
    except Action.DoesNotExist as missing:
        raise Http404("No such action.") from missing
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "timeline": history.action_timeline(action),
            "can_update": roles.can_update_action(request.user, action),
        },
    )


@plan_reader_required
def action_update(request, pk: int):
    try:
        action = pages.action_for_update(pk, request.user)
    except Action.DoesNotExist as missing:
        raise Http404("No such action.") from missing
    if not roles.can_update_action(request.user, action):
        raise PermissionDenied(
            "You can only update the actions of the owner roles you hold. If this action is "
            "yours, ask the SEND strategy team to add you to its owner."
        )
    context = {"action": action, "changed_meanwhile": None}
    if action_is_archived(action):
        # Nothing to fill in: the services would refuse it anyway.
        return render(request, "actions/action_update.html", {**context, "archived": True})
    if request.method == "POST":
        form = ProgressForm(request.POST, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The form's fields are the service's arguments: all saved, or none.
                saved = action_update_by_owner(action=action, user=request.user, **data)
            except ActionChangedMeanwhile as changed:
                action = pages.action_for_update(pk, request.user)
                context["action"] = action
                context["changed_meanwhile"] = history.changes_made_meanwhile(
                    action, changed.changes
                )
                # Their values again, against the version they have now been shown.
                form = ProgressForm(initial={**data, "seen_version": action.version}, action=action)
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Action {action.reference} updated.")
                if saved.percent_complete != data["percent_complete"]:
                    messages.info(request, "Percent complete was set to 100: it is completed.")
                return redirect("actions:detail", pk=action.pk)
    else:
        form = ProgressForm(
            initial={
                "status": action.status,
                "rag": action.rag,
                "percent_complete": action.percent_complete,
                "milestones_done": [m.pk for m in action.milestones.all() if m.done],
                "seen_version": action.version,
            },
            action=action,
        )
    return render(request, "actions/action_update.html", {**context, "form": form})
