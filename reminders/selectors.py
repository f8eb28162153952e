"""What is due to whom: owners' reminders, escalations to plan admins, and round e-mails.

Reasons come only from actions/rules.py (overdue, due soon, stale) and "updated" only
from governance's round selectors. Each read is a fixed number of queries.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.utils import timezone

from actions import rules
from actions.models import Action, ActionOwner, ProgressUpdate
from governance.models import UpdateRound
from governance.selectors import updated_action_ids
from priorities.choices import StrategyStage
from sendplan.roles import plan_admins_for_area

from . import ledger
from .choices import REMINDER_REASONS, Cadence, Reason
from .digests import Digest, Item, Kind
from .models import SentReminder

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _holders_prefetch():
    people = get_user_model().objects.filter(is_active=True).select_related("reminder_preference")
    return Prefetch(
        "ownerships",
        queryset=ActionOwner.objects.select_related("owner")
        .prefetch_related(Prefetch("owner__holders", queryset=people.order_by("username")))
        .order_by("order", "pk"),
    )


def holders(action) -> list:
    """The active people holding any of the action's owner roles (prefetched)."""
    people = {}
    for ownership in action.ownerships.all():
        for person in ownership.owner.holders.all():
            people.setdefault(person.pk, person)
    return list(people.values())


def cadence_of(person) -> str:
    try:
        return person.reminder_preference.cadence
    except get_user_model().reminder_preference.RelatedObjectDoesNotExist:
        return Cadence.AS_IT_HAPPENS


def _reminder_actions(today: datetime.date) -> list[Action]:
    """Open actions of plans in use that are overdue, due soon or stale, with their holders
    and last activity."""
    newest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    first = Action.history.filter(id=OuterRef("pk"), history_type="+").order_by("history_date")
    candidates = (
        Action.objects.overdue(today) | Action.objects.due_soon(today) | Action.objects.stale(today)
    )
    return list(
        candidates.exclude(priority__strategy__stage=StrategyStage.ARCHIVED)
        .annotate(
            newest_update=Subquery(newest.values("created_at")[:1]),
            first_recorded=Subquery(first.values("history_date")[:1]),
        )
        .select_related("priority__strategy__area")
        .prefetch_related(_holders_prefetch())
        .order_by("priority__strategy_id", "priority__number", "order", "reference")
    )


def _last_activity(action) -> datetime.datetime:
    return action.newest_update or action.first_recorded or _EPOCH


def reminder_reasons(action, today: datetime.date) -> list[str]:
    """The owners' reminder reasons that apply to the action today, by actions/rules.py."""
    checks = {
        Reason.OVERDUE: rules.is_overdue(
            status=action.status, due_date=action.due_date, today=today
        ),
        Reason.DUE_SOON: rules.is_due_soon(
            status=action.status, due_date=action.due_date, today=today
        ),
        Reason.STALE: rules.is_stale(
            status=action.status, last_activity=_last_activity(action), today=today
        ),
    }
    return [reason for reason, applies in checks.items() if applies]


def _onset(action, reason: str) -> datetime.datetime:
    """When the action became overdue (the day after its due date) or stale (the first day
    whose stale cutoff passed its last activity)."""
    if reason == Reason.OVERDUE:
        day = action.due_date + datetime.timedelta(days=1)
    else:
        activity_day = timezone.localtime(_last_activity(action)).date()
        day = activity_day + datetime.timedelta(days=settings.SENDPLAN_STALE_AFTER_DAYS + 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _escalation_due(action, reason, *, people, last_reminded, now) -> bool:
    """Still overdue or stale ESCALATE_AFTER days after its first reminder since it became
    so; when every holder has opted out of reminders, counted from when it became so."""
    onset = _onset(action, reason)
    reminded = last_reminded.get((action.pk, reason))
    if reminded is not None and reminded >= onset:
        return True
    if all(cadence_of(person) == Cadence.OFF for person in people):
        return onset <= now - datetime.timedelta(days=settings.SENDPLAN_ESCALATE_AFTER_DAYS)
    return False


def _no_holder_note(action) -> str:
    names = [ownership.owner.name for ownership in action.ownerships.all()]
    if not names:
        return "it has no owner"
    return "nobody holds " + " or ".join(names)


def _last_digest_sent(recipient_ids) -> dict[int, datetime.datetime]:
    rows = (
        SentReminder.objects.filter(
            recipient_id__in=recipient_ids, reason__in=REMINDER_REASONS, sent_at__isnull=False
        )
        .values("recipient_id")
        .annotate(last=Max("sent_at"))
    )
    return {row["recipient_id"]: row["last"] for row in rows}


def _digest_cadence_allows(cadence: str, last: datetime.datetime | None, today) -> bool:
    if cadence == Cadence.OFF:
        return False
    if last is None or cadence == Cadence.AS_IT_HAPPENS:
        return True
    last_day = timezone.localtime(last).date()
    return last_day <= today - datetime.timedelta(days=7 if cadence == Cadence.WEEKLY else 1)


def _not_blocked(digests: dict, rows_by_recipient, *, now, today) -> list[Digest]:
    kept = []
    for digest in digests.values():
        rows = rows_by_recipient.get(digest.recipient.pk, [])
        digest.items = [
            item
            for item in digest.items
            if not any(
                item.matches(row) and ledger.blocks(row, now=now, today=today) for row in rows
            )
        ]
        if digest.items:
            kept.append(digest)
    return kept


def _rows_by_recipient(today) -> dict[int, list]:
    by_recipient = defaultdict(list)
    for row in ledger.rows_that_matter(today=today):
        by_recipient[row.recipient_id].append(row)
    return by_recipient


def due_reminders(*, today: datetime.date, now: datetime.datetime) -> list[Digest]:
    """The reminder digests of owners and the escalation digests of plan admins due now:
    one per person and kind, each item not sent within its cadence."""
    actions = _reminder_actions(today)
    cutoff = now - datetime.timedelta(days=settings.SENDPLAN_ESCALATE_AFTER_DAYS)
    last_reminded = {
        (row["action_id"], row["reason"]): row["last"]
        for row in SentReminder.objects.filter(
            reason__in=[Reason.OVERDUE, Reason.STALE], sent_at__lte=cutoff
        )
        .values("action_id", "reason")
        .annotate(last=Max("sent_at"))
    }
    admins_by_area: dict[int, list] = {}
    reminders: dict[int, Digest] = {}
    escalations: dict[int, Digest] = {}
    for action in actions:
        reasons = reminder_reasons(action, today)
        people = holders(action)
        escalate = []
        if not people:
            escalate.append(Item(action, Reason.NO_HOLDER, note=_no_holder_note(action)))
        for reason in reasons:
            for person in people:
                if cadence_of(person) != Cadence.OFF:
                    digest = reminders.setdefault(person.pk, Digest(person, Kind.REMINDERS))
                    digest.items.append(Item(action, reason))
            if people and reason in (Reason.OVERDUE, Reason.STALE):
                if _escalation_due(
                    action, reason, people=people, last_reminded=last_reminded, now=now
                ):
                    escalated = (
                        Reason.ESCALATED_OVERDUE
                        if reason == Reason.OVERDUE
                        else Reason.ESCALATED_STALE
                    )
                    escalate.append(Item(action, escalated))
        if escalate:
            area = action.priority.strategy.area
            if area.pk not in admins_by_area:
                admins_by_area[area.pk] = list(plan_admins_for_area(area))
            for admin in admins_by_area[area.pk]:
                digest = escalations.setdefault(admin.pk, Digest(admin, Kind.ESCALATIONS))
                digest.items.extend(escalate)
    last_digest = _last_digest_sent(list(reminders))
    reminders = {
        pk: digest
        for pk, digest in reminders.items()
        if _digest_cadence_allows(cadence_of(digest.recipient), last_digest.get(pk), today)
    }
    rows = _rows_by_recipient(today)
    return _not_blocked(reminders, rows, now=now, today=today) + _not_blocked(
        escalations, rows, now=now, today=today
    )


def active_rounds(today: datetime.date):
    """Rounds whose meeting has not happened yet: their owners are asked and chased."""
    return UpdateRound.objects.filter(meeting__date__gte=today).select_related(
        "meeting__board", "meeting__strategy"
    )


def _round_actions(update_round) -> list[Action]:
    return list(
        update_round.actions.select_related("priority__strategy__area")
        .prefetch_related(_holders_prefetch())
        .order_by("priority__number", "order", "reference")
    )


def round_requests(update_round, *, now: datetime.datetime) -> list[Digest]:
    """One request per holder of the round's actions who has not had one, listing theirs."""
    today = timezone.localdate(now)
    digests: dict[int, Digest] = {}
    for action in _round_actions(update_round):
        for person in holders(action):
            digest = digests.setdefault(
                person.pk, Digest(person, Kind.ROUND_REQUEST, round=update_round)
            )
            digest.items.append(Item(action, Reason.ROUND_REQUEST, round=update_round))
    return _not_blocked(digests, _rows_by_recipient(today), now=now, today=today)


def round_chasers(update_round, *, now: datetime.datetime) -> list[Digest]:
    """A repeat request to each holder with actions not updated since the round started,
    no sooner than the chase setting after their last e-mail of the round."""
    today = timezone.localdate(now)
    actions = _round_actions(update_round)
    updated = updated_action_ids(
        action_ids=update_round.coverage.values("action_id"), since=update_round.started_at
    )
    rows = _rows_by_recipient(today)
    digests: dict[int, Digest] = {}
    for action in actions:
        if action.pk in updated:
            continue
        for person in holders(action):
            if not ledger.chase_allowed(rows.get(person.pk, []), round_id=update_round.pk, now=now):
                continue
            digest = digests.setdefault(
                person.pk, Digest(person, Kind.ROUND_CHASER, round=update_round)
            )
            digest.items.append(Item(action, Reason.ROUND_CHASER, round=update_round))
    return list(digests.values())
