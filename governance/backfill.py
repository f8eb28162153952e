"""Papers for the meetings held before papers were published here.

The migration that adds published papers (0007) publishes nothing itself: a migration
sees historical models only, and rendering a pack needs the live selectors, templates and
every app's models, which may not match the schema part-way through a run of migrations
(a later migration may add a column they read). So once the run that applies 0007 has
finished, with the whole schema in place, ``post_migrate`` publishes the papers of every
meeting whose day has ended and which has none, through the same service as the page,
as at the end of the meeting day (what the page showed until then), recorded as
published by the migration with no user. Later runs of migrate do nothing here.
"""

from django.db import DEFAULT_DB_ALIAS

from actions import rules

from .choices import PapersRoute
from .models import Meeting
from .services import papers_publish

MIGRATION = ("governance", "0007_published_papers")


def publish_past_meetings_once(sender, *, plan=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: publish past meetings' papers in the run that applied MIGRATION.
    (flush sends post_migrate with no plan: nothing to do then.)"""
    applied = {
        (migration.app_label, migration.name)
        for migration, backwards in plan or ()
        if not backwards
    }
    if MIGRATION in applied and using == DEFAULT_DB_ALIAS:
        publish_past_meetings()


def publish_past_meetings() -> int:
    """Publish, as at the end of its day, each meeting whose day has ended without papers;
    how many were published."""
    meetings = Meeting.objects.filter(date__lt=rules.today(), papers__isnull=True).select_related(
        "board__area", "strategy"
    )
    published = 0
    for meeting in meetings.order_by("date", "pk"):
        papers_publish(meeting=meeting, user=None, route=PapersRoute.MIGRATION)
        published += 1
    return published
