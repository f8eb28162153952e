"""Every write to the public texts: officers draft, only plan admins publish.

Publishing copies the draft to the published fields and records who and when; the
history of every record keeps both the drafts and the approvals, with the user.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from measures.models import Measure
from priorities.models import Priority, Strategy
from sendplan.audit import save_with_history
from sendplan.roles import can_draft_public_text, can_publish_public_text, require_in_areas

from .models import (
    ActionPublication,
    Approval,
    MeasurePublication,
    PriorityPublication,
    StrategyPublication,
)


def _require_publisher(user, subject) -> None:
    if user is not None and not can_publish_public_text(user):
        raise PermissionDenied("Only plan admins publish text on the public pages.")
    require_in_areas(user, subject, perm="public_pages.publish_public_text")


@transaction.atomic
def strategy_publication_save(
    *, strategy: Strategy, user, is_published: bool, introduction: str, reason: str = ""
) -> StrategyPublication:
    """Publish a strategy's public page (or take it down) with its introduction."""
    _require_publisher(user, strategy)
    publication = StrategyPublication.objects.filter(strategy=strategy).first()
    publication = publication or StrategyPublication(strategy=strategy)
    if (publication.is_published, publication.introduction) == (is_published, introduction):
        return publication
    publication.is_published = is_published
    publication.introduction = introduction.strip()
    publication.published_at = timezone.now()
    default = "Published the public page" if is_published else "Took the public page down"
    save_with_history(publication, user=user, reason=reason or default)
    return publication


def _draft(publication: Approval, *, user, values: dict[str, str], reason: str) -> Approval:
    """Save new draft text; nothing changes on the public page until it is approved."""
    values = {name: value.strip() for name, value in values.items()}
    if all(getattr(publication, name) == value for name, value in values.items()):
        return publication
    for name, value in values.items():
        setattr(publication, name, value)
    publication.drafted_by = user
    publication.drafted_at = timezone.now()
    publication.draft_waiting = any(
        getattr(publication, draft) != getattr(publication, published)
        for draft, published in publication.TEXT_FIELDS
    )
    save_with_history(publication, user=user, reason=reason or "Drafted public text")
    return publication


@transaction.atomic
def priority_publication_draft(
    *, priority: Priority, user, easy_read: str, summary: str, reason: str = ""
) -> PriorityPublication:
    if user is not None and not can_draft_public_text(user, priority=priority):
        raise PermissionDenied(
            "You can draft public text for priorities with actions of the owner roles you hold."
        )
    publication = PriorityPublication.objects.filter(priority=priority).first()
    publication = publication or PriorityPublication(priority=priority)
    values = {"draft_easy_read": easy_read, "draft_summary": summary}
    return _draft(publication, user=user, values=values, reason=reason)


@transaction.atomic
def action_publication_draft(
    *, action: Action, user, title: str, status: str, reason: str = ""
) -> ActionPublication:
    if user is not None and not can_draft_public_text(user, action=action):
        raise PermissionDenied("You can draft public text for the actions of roles you hold.")
    publication = ActionPublication.objects.filter(action=action).first()
    publication = publication or ActionPublication(action=action)
    values = {"draft_title": title, "draft_status": status}
    return _draft(publication, user=user, values=values, reason=reason)


# What a draft must have before it can go on the public page, by model.
_REQUIRED = {
    PriorityPublication: {"draft_easy_read": "Write the easy-read summary before publishing."},
    ActionPublication: {
        "draft_title": "Write the public title before publishing.",
        "draft_status": "Choose the public status before publishing.",
    },
}


@transaction.atomic
def publication_approve(*, publication: Approval, user, reason: str = "") -> Approval:
    """A plan admin approves the draft: it becomes the published text, dated today."""
    _require_publisher(user, publication)
    errors = {
        name: message
        for name, message in _REQUIRED[type(publication)].items()
        if not getattr(publication, name)
    }
    if errors:
        raise ValidationError(errors)
    for draft, published in publication.TEXT_FIELDS:
        setattr(publication, published, getattr(publication, draft))
    publication.draft_waiting = False
    publication.published_by = user
    publication.published_at = timezone.now()
    save_with_history(publication, user=user, reason=reason or "Approved for the public page")
    return publication


@transaction.atomic
def measure_publication_save(*, measure: Measure, user, is_published: bool) -> MeasurePublication:
    """A plan admin shows a measure on the public page, or takes it off."""
    _require_publisher(user, measure)
    publication = MeasurePublication.objects.filter(measure=measure).first()
    publication = publication or MeasurePublication(measure=measure)
    if publication.pk and publication.is_published == is_published:
        return publication
    publication.is_published = is_published
    publication.published_by = user
    publication.published_at = timezone.now()
    reason = "Shown on the public page" if is_published else "Taken off the public page"
    save_with_history(publication, user=user, reason=reason)
    return publication
