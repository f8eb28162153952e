"""A meeting's papers: when they are due, and what a published version holds.

Papers are due five clear working days before the meeting, as the Local Government Act
1972 (section 100B) asks of a public meeting's papers: the day of publication and the
meeting day do not count, nor do weekends or England's bank holidays. The bank holidays
come from the ``holidays`` package, whose maintainers add each year's (and the one-off
ones, such as a coronation) as they are announced.
"""

import dataclasses
import datetime
import functools

import holidays
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from actions import rules
from actions.choices import Rag, Status
from sendplan import spliced_gzip

from .choices import PapersRoute
from .export import board_pack_workbook
from .models import Meeting, Papers
from .selectors import BoardPack

CLEAR_WORKING_DAYS = 5


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def papers_due(meeting_date: datetime.date) -> datetime.date:
    """The last working day on which papers leave five clear working days before the meeting."""
    day, clear = meeting_date, 0
    while clear < CLEAR_WORKING_DAYS:
        day -= datetime.timedelta(days=1)
        clear += is_working_day(day)
    # Published on the fifth clear day itself, that day would not count: the day before.
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@dataclasses.dataclass(frozen=True)
class PapersState:
    """Where a meeting's papers stand, for its page and the meetings list."""

    due: datetime.date
    version: int | None = None
    first_published_at: datetime.datetime | None = None
    published_at: datetime.datetime | None = None
    published_by: str = ""

    @classmethod
    def of(cls, meeting: Meeting, versions=()) -> "PapersState":
        """From a meeting's versions, newest first, or from the list's annotations."""
        if versions:
            by_people = [v for v in versions if v.route != PapersRoute.MIGRATION]
            return cls(
                papers_due(meeting.date),
                versions[0].version,
                by_people[-1].published_at if by_people else None,
                versions[0].published_at,
                versions[0].published_by_words,
            )
        return cls(
            papers_due(meeting.date),
            getattr(meeting, "papers_version", None),
            getattr(meeting, "papers_first_published_at", None),
            getattr(meeting, "papers_published_at", None),
            Papers(
                published_by_name=getattr(meeting, "papers_published_by", None) or "",
                route=getattr(meeting, "papers_route", None) or PapersRoute.PAGE,
            ).published_by_words,
        )

    @property
    def is_published(self) -> bool:
        return self.version is not None

    @property
    def is_late(self) -> bool:
        """Not published by the due date, or first published after it. Papers published by
        the migration, for meetings held before papers were published here, are not judged."""
        if self.version is None:
            return rules.today() > self.due
        if self.first_published_at is None:
            return False
        return timezone.localdate(self.first_published_at) > self.due


def render_body(pack: BoardPack) -> str:
    """The papers' body: the same for every reader, so it holds no per-user part."""
    return render_to_string(
        "governance/_papers_body.html",
        {
            "pack": pack,
            "status_labels": Status.labels,
            "rag_labels": Rag.labels,
            "stale_days": settings.SENDPLAN_STALE_AFTER_DAYS,
            "due_soon_days": settings.SENDPLAN_DUE_SOON_DAYS,
        },
    )


def _action(row) -> dict:
    return {
        "id": row.id,
        "reference": row.reference,
        "text": row.text,
        "priority": row.priority.number,
        "status": row.status,
        "rag": row.rag,
        "due_date": row.due_date,
        "due_words": row.deadline_text,
        "percent_complete": row.percent_complete,
    }


def pack_data(pack: BoardPack) -> dict:
    """What the papers show, as plain JSON data: every section's rows."""
    meeting = pack.meeting
    currency = pack.currency
    return {
        "meeting": {
            "id": meeting.pk,
            "board": meeting.board.name,
            "area": meeting.board.area.name,
            "title": meeting.title,
            "date": meeting.date,
            "plan": meeting.strategy.title,
            "agenda": meeting.agenda,
        },
        "as_at": pack.cutoff,
        "day": pack.day,
        "previous_meeting": pack.previous.date if pack.previous else None,
        "next_meeting": pack.next_meeting.date if pack.next_meeting else None,
        "summary": [
            {
                "priority": row.number,
                "title": row.title,
                "by_status": row.by_status,
                "by_rag": row.by_rag,
            }
            for row in [*pack.summary, pack.totals]
        ],
        "actions": [_action(row) for row in pack.actions],
        "exceptions": [
            {"action": e.action.id, "reference": e.action.reference, "reasons": e.reasons}
            for e in pack.exceptions
        ],
        "changes": [
            {
                "when": event.when,
                "who": event.who,
                "action": event.action_id,
                "reference": event.reference,
                "what": event.kind,
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in event.changes],
                "note": event.note,
            }
            for event in pack.changes
        ],
        "due_until": pack.due_until,
        "due": [row.id for row in pack.due],
        "measures": [
            {
                "measure": figures.measure.pk,
                "name": figures.measure.name,
                "latest": figures.latest_words,
                "judgement": figures.judgement.track_words,
            }
            for figures in pack.measures
        ],
        "engagements": [
            {
                "id": e.pk,
                "title": e.title,
                "date": e.date,
                "you_said": e.you_said,
                "we_did": e.we_did,
            }
            for e in pack.engagements
        ],
        "currency": None
        if currency is None
        else {
            "since": currency.since,
            "total": currency.total,
            "not_updated": [row.id for row in currency.not_updated],
        },
    }


def papers_contents(pack: BoardPack) -> dict:
    """The stored fields of a version of the papers made from the pack."""
    body = render_body(pack)
    deflated = spliced_gzip.deflate(body.encode())
    return {
        "as_at": pack.cutoff,
        "data": pack_data(pack),
        "body": body,
        "body_deflated": deflated.data,
        "body_deflated_figures": {
            "crc": deflated.crc,
            "length": deflated.length,
            "shift": list(deflated.shift),
        },
        "workbook": board_pack_workbook(pack),
    }


def deflated_body(papers: Papers) -> spliced_gzip.Deflated:
    figures = papers.body_deflated_figures
    return spliced_gzip.Deflated(
        bytes(papers.body_deflated), figures["crc"], figures["length"], tuple(figures["shift"])
    )


def papers_versions(meeting: Meeting) -> list[Papers]:
    """The meeting's published versions, newest first, without their contents: one query."""
    return list(Papers.objects.listed().filter(meeting=meeting))


def papers_current(meeting: Meeting) -> Papers | None:
    """The latest version of the meeting's papers, with its contents, or None."""
    return Papers.objects.filter(meeting=meeting).order_by("-version").first()
