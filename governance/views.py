"""Board meetings, their packs, recording the board's reviews, and the decision log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from actions.choices import Rag, Status
from priorities.models import LocalArea
from sendplan.roles import can_review_at, can_view_governance

from . import selectors, services
from .export import board_pack_workbook
from .forms import DecisionFilterForm, FollowUpFormSet, ReviewForm
from .models import Board, Decision, Meeting

DECISIONS_PER_PAGE = 25


def _require_viewer(user) -> None:
    if not can_view_governance(user):
        raise PermissionDenied("Board meetings and decisions are for board members and admins.")


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("board__area", "strategy"), pk=pk)


@require_GET
@login_required
def meeting_list(request):
    _require_viewer(request.user)
    boards = Board.objects.select_related("area").filter(meetings__isnull=False).distinct()
    board_id = request.GET.get("board", "")
    board_id = int(board_id) if board_id.isdigit() else None
    return render(
        request,
        "governance/meeting_list.html",
        {
            "meetings": selectors.meetings_by_board(board_id),
            "boards": boards,
            "board_id": board_id,
        },
    )


@require_GET
@login_required
def meeting_pack(request, pk: int):
    _require_viewer(request.user)
    meeting = _meeting(pk)
    return render(
        request,
        "governance/meeting_pack.html",
        {
            "pack": selectors.board_pack(meeting),
            "can_review": can_review_at(request.user, meeting),
            "status_labels": Status.labels,
            "rag_labels": Rag.labels,
            "stale_days": settings.SENDPLAN_STALE_AFTER_DAYS,
            "due_soon_days": settings.SENDPLAN_DUE_SOON_DAYS,
        },
    )


@require_GET
@login_required
def meeting_pack_xlsx(request, pk: int):
    _require_viewer(request.user)
    meeting = _meeting(pk)
    response = HttpResponse(
        board_pack_workbook(selectors.board_pack(meeting)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"board-pack-{meeting.board.kind}-{meeting.date:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def review_create(request, pk: int):
    meeting = _meeting(pk)
    if not can_review_at(request.user, meeting):
        raise PermissionDenied("Only members of this board and plan admins record its reviews.")
    if selectors.is_preview(meeting):
        # Nothing to record yet: say when reviews open rather than show a form that fails.
        return render(
            request,
            "governance/review_form.html",
            {"meeting": meeting, "too_early": True},
            status=200 if request.method == "GET" else 400,
        )
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, meeting=meeting, initial={"subject": request.GET.get("subject")})
    follow_ups = FollowUpFormSet(data, prefix="follow", form_kwargs={"area": meeting.board.area})
    if data is not None and all([form.is_valid(), follow_ups.is_valid()]):
        try:
            review = services.review_record(
                meeting=meeting,
                priority=form.priority,
                action=form.action,
                user=request.user,
                rag=form.cleaned_data["rag"],
                comment=form.cleaned_data["comment"],
                recommendation=form.cleaned_data["recommendation"],
                follow_ups=[f.follow_up for f in follow_ups if f.follow_up],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(ReviewForm.SERVICE_FIELDS.get(field), errors)
        else:
            created = ", ".join(action.reference for action in review.follow_ups.all())
            messages.success(
                request,
                f"Review of {review.subject_reference} recorded."
                + (f" Follow-up actions added to the plan: {created}." if created else ""),
            )
            return redirect(f"{reverse('governance:meeting_pack', args=[meeting.pk])}#reviews")
    return render(
        request,
        "governance/review_form.html",
        {"meeting": meeting, "form": form, "follow_ups": follow_ups},
    )


@require_GET
@login_required
def decision_list(request):
    _require_viewer(request.user)
    form = DecisionFilterForm(request.GET or None, areas=LocalArea.objects.all())
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_search(
        q=filters.get("q", ""),
        area_id=filters.get("area") or None,
        status=filters.get("status", ""),
        key=filters.get("key", ""),
        delegated_by=filters.get("delegated_by"),
    )
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/decision_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
@login_required
def decision_detail(request, pk: int):
    _require_viewer(request.user)
    decision = get_object_or_404(
        Decision.objects.select_related("area", "delegated_by", "strategy", "meeting__board"),
        pk=pk,
    )
    return render(
        request,
        "governance/decision_detail.html",
        {"decision": decision, "actions": decision.actions.select_related("priority")},
    )
