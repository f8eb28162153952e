"""The computed board pack of a meeting whose day has ended, kept in the ``packs`` cache.

A past meeting's pack is read from the audit history as at the end of its day, so later
edits to the plan's actions do not change it (governance.selectors.board_pack). What can
still change it is read live, and each such input is part of the cache key, so that a
change shows on the next view without anyone having to remember to clear anything
(docs/decisions/0011):

- the newest history row of each small, rarely written table whose current rows the pack
  shows: meetings (this one's fields, and the board's previous and next meetings), boards,
  areas, plans, priorities (numbers and titles), reviews, decisions, engagements (and
  their links, which write a history row of the engagement), update rounds, measures and
  owners;
- how many history rows the actions shown with their current values have: those the
  meeting's reviews are about and raised as follow-ups (with the follow-ups' owners), and
  those the plan's engagements shaped; counting (rather than the newest row) also sees an
  action leave the set;
- the newest history row of any action deleted anywhere (a deletion takes its progress
  notes, round coverage and links with it);
- a token renewed whenever a user's name changes (users have no history table), kept in
  the cache beside the packs;
- the settings the pack's figures depend on.

The cache is emptied by every ``migrate`` (so by every deploy): what was rendered by an
earlier release's templates is not served by the next.

One query reads all the history figures, whatever the size of the plan or the database.
"""

import functools
import hashlib
import uuid
import zlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connections, router
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from actions.models import Action, ActionOwner, Owner
from measures.models import Measure
from priorities.models import LocalArea, Priority, Strategy
from sendplan import spliced_gzip

from .models import Board, Decision, Engagement, Meeting, Review, UpdateRound

# Bump when the shape of what is cached changes, so that no older entry is read.
FORMAT = 2
PEOPLE_KEY = "board-pack:people"
# The small tables whose newest history row is part of every pack's key.
RARELY_WRITTEN = (
    Meeting,
    Board,
    LocalArea,
    Strategy,
    Priority,
    Review,
    Decision,
    Engagement,
    UpdateRound,
    Measure,
    Owner,
)


def _cache():
    return caches["packs"]


@functools.cache
def _stamp_sql(alias: str) -> str:
    """The key's history figures in one statement (written out rather than built with the
    ORM, which took longer to compile it than the database to run it). Parameters: the
    meeting, three times, and its plan."""

    def _table(model: type[Model]) -> str:
        return connections[alias].ops.quote_name(model._meta.db_table)

    newest = [
        f"(SELECT MAX(history_id) FROM {_table(model.history.model)})" for model in RARELY_WRITTEN
    ]
    action_history = _table(Action.history.model)
    owner_history = _table(ActionOwner.history.model)
    reviews = _table(Review)
    follow_ups = _table(Review.follow_ups.through)
    engagements = _table(Engagement)
    engaged = _table(Engagement.actions.through)
    figures = [
        *newest,
        # Served by the partial index action_history_deleted.
        f"(SELECT MAX(history_id) FROM {action_history} WHERE history_type = '-')",
        f"(SELECT COUNT(*) FROM {action_history} WHERE id IN "
        f"(SELECT action_id FROM {reviews} WHERE meeting_id = %s))",
        f"(SELECT COUNT(*) FROM {action_history} WHERE id IN (SELECT f.action_id FROM "
        f"{follow_ups} f JOIN {reviews} r ON r.id = f.review_id WHERE r.meeting_id = %s))",
        f"(SELECT COUNT(*) FROM {owner_history} WHERE action_id IN (SELECT f.action_id FROM "
        f"{follow_ups} f JOIN {reviews} r ON r.id = f.review_id WHERE r.meeting_id = %s))",
        f"(SELECT COUNT(*) FROM {action_history} WHERE id IN (SELECT e.action_id FROM "
        f"{engaged} e JOIN {engagements} g ON g.id = e.engagement_id WHERE g.strategy_id = %s))",
    ]
    return "SELECT " + ", ".join(figures)


def _stamp(meeting: Meeting) -> tuple:
    """The history figures of everything live the pack shows (see the module's docstring)."""
    alias = router.db_for_read(Meeting, instance=meeting)
    with connections[alias].cursor() as cursor:
        cursor.execute(_stamp_sql(alias), [meeting.pk, meeting.pk, meeting.pk, meeting.strategy_id])
        return tuple(cursor.fetchone())


def _key(meeting: Meeting) -> str:
    stamp = (
        _stamp(meeting),
        settings.TIME_ZONE,
        settings.SENDPLAN_STALE_AFTER_DAYS,
        settings.SENDPLAN_DUE_SOON_DAYS,
    )
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
    return f"board-pack:{FORMAT}:{meeting.pk}:{digest}"


class Slot:
    """Where what is worked out from one meeting's pack is kept, as its inputs stand now:
    the pack's data, and its rendered page body (governance/templatetags/pack_tags.py).
    Making one costs one query; each fetch one more.

    A body kept is stored deflated, and sent that way to a browser that takes gzip: the
    page leaves a marker where it goes, and ``finish`` splices it into the response."""

    def __init__(self, meeting: Meeting):
        self.key = _key(meeting)
        self.people = None
        self._spliced = None

    def _fetch(self, part: str):
        """The part kept for these inputs, or None. Each part is stored with the token of
        the users' names it was worked out with, and is good only while that is current."""
        found = _cache().get_many([f"{self.key}:{part}", PEOPLE_KEY])
        self.people = found.get(PEOPLE_KEY) or _renew_people()
        entry = found.get(f"{self.key}:{part}")
        if entry is None or entry[0] != self.people:
            return None
        return entry[1]

    def _store(self, part: str, value) -> None:
        """Keep a part worked out after a fetch found none, under that fetch's token."""
        _cache().set(f"{self.key}:{part}", (self.people, value))

    def fetch(self, part: str) -> bytes | None:
        stored = self._fetch(part)
        return None if stored is None else zlib.decompress(stored)

    def store(self, part: str, value: bytes) -> None:
        # Compressed: the data of a pack is hundreds of rows.
        self._store(part, zlib.compress(value))

    def fetch_body(self, part: str, *, gzip: bool) -> str | None:
        """A rendered body kept, or None: for a response to be sent with gzip, a marker
        for ``finish`` to replace; otherwise the body itself."""
        stored = self._fetch(part)
        if stored is None:
            return None
        if not gzip:
            return spliced_gzip.inflate(stored).decode()
        marker = f"<!-- board pack body {uuid.uuid4().hex} -->"
        self._spliced = (marker.encode(), stored)
        return marker

    def store_body(self, part: str, body: str) -> None:
        # Deflated once here rather than on every request: hundreds of kilobytes of HTML.
        self._store(part, spliced_gzip.deflate(body.encode()))

    def finish(self, response: HttpResponse) -> HttpResponse:
        """The page's response with the kept body put where its marker is, gzip-encoded
        if ``fetch_body`` was asked for that; either way it varies with Accept-Encoding."""
        patch_vary_headers(response, ["Accept-Encoding"])
        if self._spliced is None:
            return response
        marker, body = self._spliced
        head, tail = response.content.split(marker)
        response.content = spliced_gzip.gzip_around(head, body, tail)
        response["Content-Encoding"] = "gzip"
        return response


def _renew_people() -> str:
    token = uuid.uuid4().hex
    _cache().set(PEOPLE_KEY, token, None)
    return token


@receiver(post_save, sender=get_user_model())
def _user_saved(sender, instance, update_fields=None, **kwargs):
    """Names shown in packs (who made each change) come from the users' table."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a pack shows
    _renew_people()


@receiver(post_delete, sender=get_user_model())
def _user_deleted(sender, instance, **kwargs):
    _renew_people()


def clear_after_migrate(sender, **kwargs):
    """Every deploy runs migrate: a new release's templates and code start from an empty
    cache rather than pages rendered by the one before (connected in apps.py)."""
    _cache().clear()
