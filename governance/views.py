"""Board meetings, their packs, recording the board's reviews, and the decision log."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from priorities.choices import StrategyStage
from priorities.models import LocalArea, Strategy
from sendplan import spliced_gzip
from sendplan.roles import (
    can_manage_governance,
    can_publish_public_text,
    can_record_engagement,
    can_review_at,
    can_view_governance,
    get_in_areas_or_404,
    within_areas,
)
from sendplan.spliced_gzip import accepts_gzip

from . import papers as papers_module
from . import selectors, services
from .export import board_pack_workbook
from .forms import DecisionFilterForm, EngagementForm, FollowUpFormSet, ReviewForm
from .models import Board, Decision, Engagement, Meeting, Papers

DECISIONS_PER_PAGE = 25


def _require_viewer(user) -> None:
    if not can_view_governance(user):
        raise PermissionDenied("Board meetings and decisions are for board members and admins.")


def _meeting(request, pk: int) -> Meeting:
    return get_in_areas_or_404(
        request.user, Meeting.objects.select_related("board__area", "strategy"), pk=pk
    )


@require_GET
@login_required
def meeting_list(request):
    _require_viewer(request.user)
    boards = within_areas(
        request.user, Board.objects.select_related("area").filter(meetings__isnull=False)
    ).distinct()
    board_id = request.GET.get("board", "")
    board_id = int(board_id) if board_id.isdigit() else None
    return render(
        request,
        "governance/meeting_list.html",
        {
            "meetings": [
                (meeting, papers_module.PapersState.of(meeting))
                for meeting in selectors.meetings_by_board(request.user, board_id)
            ],
            "boards": boards,
            "board_id": board_id,
        },
    )


def _pack_page(request, meeting: Meeting, papers: Papers | None, versions: list[Papers]):
    """A meeting's page: its published papers (or, before publication, a labelled preview
    of the pack as the plan stands), then what the board recorded at the meeting.

    Published papers are sent as stored: only the parts around them are read live, and
    the body goes to a browser that takes gzip as it was compressed when published."""
    to_come = selectors.is_to_come(meeting)
    spliced = None
    if papers is None:
        body = mark_safe(papers_module.render_body(selectors.board_pack(meeting)))
    elif accepts_gzip(request.headers.get("Accept-Encoding", "")):
        body = mark_safe(f"<!-- the papers {uuid.uuid4().hex} -->")
        spliced = (body.encode(), papers_module.deflated_body(papers))
    else:
        body = mark_safe(papers.body)
    response = render(
        request,
        "governance/meeting_pack.html",
        {
            "meeting": meeting,
            "papers": papers,
            "versions": versions,
            "state": papers_module.PapersState.of(meeting, versions),
            "body": body,
            "meeting_to_come": to_come,
            "show_record": not to_come,
            "since": None
            if papers is None or to_come
            else selectors.changes_since_papers(meeting, papers.as_at),
            "reviews": [] if to_come else selectors.meeting_reviews(meeting),
            "decisions": [] if to_come else list(meeting.decisions.all()),
            "can_review": can_review_at(request.user, meeting),
            "can_publish": can_manage_governance(request.user, meeting),
            "may_publish": not versions or not selectors.meeting_day_ended(meeting),
        },
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    if spliced is not None:
        marker, deflated = spliced
        head, tail = response.content.split(marker)
        response.content = spliced_gzip.gzip_around(head, deflated, tail)
        response["Content-Encoding"] = "gzip"
    return response


@require_GET
@login_required
def meeting_pack(request, pk: int):
    _require_viewer(request.user)
    meeting = _meeting(request, pk)
    versions = papers_module.papers_versions(meeting)
    papers = papers_module.papers_current(meeting) if versions else None
    return _pack_page(request, meeting, papers, versions)


@require_GET
@login_required
def papers_version(request, pk: int, version: int):
    """An earlier (or the latest) version of a meeting's papers, as published."""
    _require_viewer(request.user)
    meeting = _meeting(request, pk)
    papers = get_object_or_404(Papers, meeting=meeting, version=version)
    return _pack_page(request, meeting, papers, papers_module.papers_versions(meeting))


@require_POST
@login_required
def papers_publish(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_manage_governance(request.user, meeting):
        raise PermissionDenied("Only plan admins of the meeting's area publish its papers.")
    try:
        papers = services.papers_publish(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Papers published: version {papers.version}.")
    return redirect(meeting.get_absolute_url())


def _workbook_response(content: bytes, meeting: Meeting, suffix: str = "") -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"board-pack-{meeting.board.kind}-{meeting.date:%Y-%m-%d}{suffix}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def meeting_pack_xlsx(request, pk: int):
    """The pack as a workbook: the published papers' when there are some, else a preview."""
    _require_viewer(request.user)
    meeting = _meeting(request, pk)
    papers = papers_module.papers_current(meeting)
    if papers is not None:
        return _workbook_response(bytes(papers.workbook), meeting, f"-v{papers.version}")
    return _workbook_response(
        board_pack_workbook(selectors.board_pack(meeting), preview=True), meeting
    )


@require_GET
@login_required
def papers_xlsx(request, pk: int, version: int):
    _require_viewer(request.user)
    meeting = _meeting(request, pk)
    papers = get_object_or_404(Papers, meeting=meeting, version=version)
    return _workbook_response(bytes(papers.workbook), meeting, f"-v{papers.version}")


@require_http_methods(["GET", "POST"])
@login_required
def review_create(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_review_at(request.user, meeting):
        raise PermissionDenied("Only members of this board and plan admins record its reviews.")
    if selectors.is_to_come(meeting):
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
    form = DecisionFilterForm(
        request.GET or None, areas=within_areas(request.user, LocalArea.objects.all())
    )
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_search(
        request.user,
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
    decision = get_in_areas_or_404(
        request.user,
        Decision.objects.select_related("area", "delegated_by", "strategy", "meeting__board"),
        pk=pk,
    )
    return render(
        request,
        "governance/decision_detail.html",
        {"decision": decision, "actions": decision.actions.select_related("priority")},
    )


# --- Engagement with families: "You said, we did" (issue 14) ---
def _require_recorder(user) -> None:
    if not can_record_engagement(user):
        raise PermissionDenied("Plan admins and action owners record engagement with families.")


@require_GET
@login_required
def engagement_list(request):
    _require_recorder(request.user)
    strategy_id = request.GET.get("strategy", "")
    strategy_id = int(strategy_id) if strategy_id.isdigit() else None
    return render(
        request,
        "governance/engagement_list.html",
        {
            "engagements": selectors.engagement_list(request.user, strategy_id),
            "strategies": within_areas(
                request.user,
                Strategy.objects.select_related("area").exclude(stage=StrategyStage.ARCHIVED),
            ),
            "strategy_id": strategy_id,
            "can_publish": can_publish_public_text(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def engagement_edit(request, strategy_pk: int, pk: int | None = None):
    _require_recorder(request.user)
    strategy = get_in_areas_or_404(
        request.user, Strategy.objects.select_related("area"), pk=strategy_pk
    )
    engagement = None
    if pk is not None:
        engagement = get_in_areas_or_404(request.user, Engagement.objects, pk=pk, strategy=strategy)
    form = EngagementForm(
        request.POST if request.method == "POST" else None, instance=engagement, strategy=strategy
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.engagement_save(
                engagement=form.save(commit=False),
                user=request.user,
                priorities=list(form.cleaned_data["priorities"]),
                actions=list(form.cleaned_data["actions"]),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Engagement “{saved.title}” saved.")
            return redirect(f"{reverse('governance:engagement_list')}?strategy={strategy.pk}")
    return render(
        request,
        "governance/engagement_form.html",
        {"form": form, "strategy": strategy, "engagement": engagement},
    )


@require_POST
@login_required
def engagement_publish(request, pk: int):
    engagement = get_in_areas_or_404(request.user, Engagement.objects, pk=pk)
    if not can_publish_public_text(request.user, engagement):
        raise PermissionDenied("Only plan admins approve text for the public pages.")
    publish = request.POST.get("publish") == "yes"
    try:
        services.engagement_publish(engagement=engagement, user=request.user, publish=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"“{engagement.title}” "
            + ("approved for the public page." if publish else "taken off the public page."),
        )
    return redirect(f"{reverse('governance:engagement_list')}?strategy={engagement.strategy_id}")


# --- end engagement ---
