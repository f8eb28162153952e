"""A past meeting's pack is kept in the packs cache: what can still change it shows on the
next view, what cannot (later edits to the plan's actions) leaves it cached, and it is
never another meeting's pack or another user's review links."""

import datetime
import gzip
import re

import pytest
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from actions import rules
from actions.models import Action, ProgressUpdate
from actions.services.actions import action_save
from actions.services.ownership import action_set_owners
from governance import services
from governance.choices import BoardKind
from governance.models import Board, BoardMembership, Decision, Engagement, Meeting
from governance.pack_cache import PEOPLE_KEY
from governance.selectors import board_pack, compute_board_pack
from governance.services import FollowUp
from measures.models import Measure
from measures.services import measure_save
from sendplan import roles
from sendplan.audit import save_with_history
from sendplan.settings import dev as development

from ..conftest import make_user, update_progress
from .conftest import london, on

BEFORE = datetime.date(2026, 3, 2)
FIRST = datetime.date(2026, 4, 14)
BETWEEN = datetime.date(2026, 5, 20)
MEETING = datetime.date(2026, 7, 7)
PACKS_TABLE = settings.CACHES["packs"]["LOCATION"]


@pytest.fixture
def plan(priority, owner, officer, plan_admin):
    with on(BEFORE):
        first = Action(priority=priority, reference="1.1", text="Train SENCOs.", order=1)
        action_save(action=first, user=plan_admin)
        action_set_owners(action=first, owners=[owner], user=plan_admin)
    with on(BETWEEN):
        update_progress(first, officer, "in_progress", rag="amber", note="Two trained.")
    return first


@pytest.fixture
def meeting(make_meeting, plan):
    make_meeting(FIRST, "April board")
    return Meeting.objects.select_related("board__area", "strategy").get(
        pk=make_meeting(MEETING, "July board").pk
    )


@pytest.fixture
def member(client, board_member, meeting):
    client.force_login(board_member)
    return client


def pack_url(meeting) -> str:
    return reverse("governance:meeting_pack", args=[meeting.pk])


def main(client, meeting) -> str:
    """The page's main content (the rest holds the user's name and a fresh CSRF token)."""
    response = client.get(pack_url(meeting))
    assert response.status_code == 200
    return re.search(r"<main.*</main>", response.text, re.DOTALL)[0]


def shows_fresh(client, meeting) -> str:
    """The pack as the next view serves it, checked against the pack read afresh."""
    served = main(client, meeting)
    caches["packs"].clear()
    assert main(client, meeting) == served
    return served


def page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        main(client, meeting)
    return len(queries)


def test_a_cached_pack_is_read_with_two_queries(meeting, django_assert_num_queries):
    assert board_pack(meeting).actions  # worked out and kept
    with django_assert_num_queries(2):  # the key's history figures, then the kept pack
        pack = board_pack(meeting)
        cached = [(row.reference, row.status, row.rag) for row in pack.actions]
    fresh = compute_board_pack(meeting)
    assert cached == [(row.reference, row.status, row.rag) for row in fresh.actions]
    assert pack.meeting is meeting
    assert [event.note for event in pack.changes] == [event.note for event in fresh.changes]


def test_the_pack_page_costs_fewer_queries_once_cached(member, meeting, django_assert_num_queries):
    first = page_queries(member, meeting)
    cached = page_queries(member, meeting)
    assert cached < first
    with django_assert_num_queries(cached):
        assert "Two trained." in main(member, meeting)


def test_edits_to_actions_after_the_meeting_leave_the_pack_cached(
    member, meeting, plan, officer, plan_admin
):
    before = main(member, meeting)
    cached = page_queries(member, meeting)
    update_progress(plan, officer, "completed", rag="green", percent=100, note="Done.")
    plan.text = "Train every SENCO."
    action_save(action=plan, user=plan_admin, reason="Wider")
    assert page_queries(member, meeting) == cached
    assert main(member, meeting) == before
    assert "Train SENCOs." in before and "Train every SENCO." not in before


def test_a_review_recorded_shows_on_the_next_view(member, meeting, priority, board_member):
    main(member, meeting)
    services.review_record(
        meeting=meeting, priority=priority, user=board_member, comment="Needs a plan B."
    )
    assert "Needs a plan B." in shows_fresh(member, meeting)


def test_a_follow_up_and_changes_to_it_show_on_the_next_view(
    member, meeting, priority, board_member, plan_admin, owner
):
    main(member, meeting)
    review = services.review_record(
        meeting=meeting,
        priority=priority,
        user=board_member,
        follow_ups=[FollowUp("Audit the training.", "Head of SEND", datetime.date(2026, 12, 1))],
    )
    assert "Audit the training." in shows_fresh(member, meeting)
    follow_up = review.follow_ups.get()
    follow_up.text = "Audit the training records."
    action_save(action=follow_up, user=plan_admin, reason="Clearer")
    assert "Audit the training records." in shows_fresh(member, meeting)
    action_set_owners(action=follow_up, owners=[owner], user=plan_admin, reason="Moved")
    assert f"({owner.name}; due" in shows_fresh(member, meeting)


def test_a_decision_recorded_or_changed_shows_on_the_next_view(member, meeting, area, plan_admin):
    main(member, meeting)
    decision = Decision(
        area=area,
        meeting=meeting,
        number="42/2026",
        title="Fund two trainers",
        status="made",
        decision_maker="Cabinet",
        decision="Two trainers are funded.",
    )
    services.decision_save(decision=decision, user=plan_admin)
    assert "42/2026 Fund two trainers" in shows_fresh(member, meeting)
    decision.title = "Fund three trainers"
    services.decision_save(decision=decision, user=plan_admin)
    assert "42/2026 Fund three trainers" in shows_fresh(member, meeting)


def test_an_engagement_edited_shows_on_the_next_view(member, meeting, strategy, plan_admin, plan):
    engagement = Engagement(
        strategy=strategy,
        title="Termly survey",
        date=BETWEEN,
        groups=["parents_and_carers"],
        method="survey",
        level="consult",
        you_said="Letters are hard to read.",
        recorded_at=london(BETWEEN),
    )
    with on(BETWEEN):
        services.engagement_save(engagement=engagement, user=plan_admin)
    assert "Termly survey" in main(member, meeting)
    engagement.we_did = "Letters were rewritten with the forum."
    services.engagement_save(engagement=engagement, user=plan_admin)
    assert "Letters were rewritten with the forum." in shows_fresh(member, meeting)
    services.engagement_save(engagement=engagement, user=plan_admin, actions=[plan])
    assert f'{reverse("actions:detail", args=[plan.pk])}">1.1</a>' in shows_fresh(member, meeting)


def test_the_meeting_and_the_plan_edited_show_on_the_next_view(
    member, meeting, priority, strategy, plan_admin
):
    main(member, meeting)
    meeting.minutes = "Agreed to fund the trainers."
    services.meeting_save(meeting=meeting, user=plan_admin)
    assert "Agreed to fund the trainers." in shows_fresh(member, meeting)
    priority.title = "Identified early"
    save_with_history(priority, user=plan_admin, reason="Renamed")
    assert "1. Identified early" in shows_fresh(member, meeting)
    strategy.title = "Joint SEND Strategy 2022-26"
    save_with_history(strategy, user=plan_admin, reason="Extended")
    meeting.strategy.refresh_from_db()  # the page fetches the meeting with its plan each time
    assert "Joint SEND Strategy 2022-26" in shows_fresh(member, meeting)
    board = meeting.board
    board.name = "Local Area SEND Partnership Board"
    save_with_history(board, user=plan_admin, reason="Renamed")
    assert "Local Area SEND Partnership Board, Medway" in shows_fresh(member, meeting)


def test_a_meeting_added_between_changes_the_previous_meeting_on_the_next_view(
    member, meeting, make_meeting
):
    assert "from the end of 14 April 2026" in main(member, meeting)
    make_meeting(BETWEEN, "May board")
    assert "from the end of 20 May 2026" in shows_fresh(member, meeting)


def test_a_measure_renamed_shows_on_the_next_view(member, meeting, strategy, plan_admin):
    with on(BEFORE):
        measure = measure_save(
            measure=Measure(strategy=strategy, name="EHCPs issued in 20 weeks"), user=plan_admin
        )
    assert "EHCPs issued in 20 weeks" in main(member, meeting)
    measure.name = "EHC plans issued within 20 weeks"
    measure_save(measure=measure, user=plan_admin)
    assert "EHC plans issued within 20 weeks" in shows_fresh(member, meeting)


def test_a_user_renamed_shows_on_the_next_view(member, meeting, officer):
    assert "Olivia" in main(member, meeting)
    officer.first_name, officer.last_name = "Olivia", "Okafor"
    officer.save()
    assert "Olivia Okafor" in shows_fresh(member, meeting)


def test_signing_in_keeps_the_pack_cached(member, meeting, board_member):
    main(member, meeting)
    cached = page_queries(member, meeting)
    Client().force_login(board_member)  # saves last_login only
    assert page_queries(member, meeting) == cached


def test_the_cache_never_serves_one_meetings_pack_for_another(
    member, meeting, make_meeting, officer, plan
):
    earlier = Meeting.objects.get(date=FIRST)
    later = make_meeting(datetime.date(2026, 9, 1), "September board")
    with on(datetime.date(2026, 8, 1)):
        update_progress(plan, officer, "blocked", rag="red", note="Trainer left.")
    for _ in range(2):  # worked out, then from the cache
        july, april, september = (main(member, m) for m in (meeting, earlier, later))
        assert "July board, 7 July 2026" in july and "Trainer left." not in july
        assert "April board, 14 April 2026" in april and "Two trained." not in april
        assert "September board, 1 September 2026" in september and "Trainer left." in september
    xlsx = [
        member.get(reverse("governance:meeting_pack_xlsx", args=[m.pk])) for m in (meeting, later)
    ]
    assert [response["Content-Disposition"] for response in xlsx] == [
        'attachment; filename="board-pack-partnership-2026-07-07.xlsx"',
        'attachment; filename="board-pack-partnership-2026-09-01.xlsx"',
    ]
    assert [board_pack(m).meeting.date for m in (meeting, later)] == [MEETING, later.date]


def test_review_links_follow_the_user_not_the_cached_page(member, meeting, area, plan):
    nadia = make_user("nadia", roles.BOARD_MEMBER)
    other = Board.objects.create(
        area=area, name="Health board", kind=BoardKind.HEALTH_AND_WELLBEING
    )
    BoardMembership.objects.create(board=other, user=nadia)  # not on this meeting's board
    onlooker = Client()
    onlooker.force_login(nadia)
    for first in (member, onlooker):  # whoever fills the cache
        caches["packs"].clear()
        main(first, meeting)
        assert "Record a review" in main(member, meeting)
        assert "Record a review" not in main(onlooker, meeting)
        assert "?subject=action-" not in main(onlooker, meeting)


@pytest.mark.parametrize("days", [0, 3])  # the meeting day not yet over, or still to come
def test_a_pack_before_the_meeting_day_ends_shows_todays_figures(
    member, make_meeting, officer, plan, days
):
    upcoming = make_meeting(rules.today() + datetime.timedelta(days=days), "Next board")
    update_progress(plan, officer, "at_risk", rag="red", note="Late.")
    assert "Late." in main(member, upcoming)
    update_progress(plan, officer, "blocked", rag="red", note="Stuck.")
    assert "Stuck." in main(member, upcoming)


def test_a_progress_note_names_its_action_as_it_stood_at_the_meeting(
    meeting, plan, officer, plan_admin
):
    with on(BETWEEN, 15):  # a note alone: nothing else changed
        update_progress(plan, officer, "in_progress", rag="amber", note="Dates booked.")
    # The note's own date (history_stamped dates only the history rows).
    ProgressUpdate.objects.filter(note="Dates booked.").update(created_at=london(BETWEEN, 15))
    plan.text = "Train every SENCO."
    action_save(action=plan, user=plan_admin, reason="Wider")
    [note] = [event for event in compute_board_pack(meeting).changes if not event.changes]
    assert (note.note, note.text) == ("Dates booked.", "Train SENCOs.")


def test_migrate_empties_the_packs_cache_for_a_new_release(member, meeting):
    page_queries(member, meeting)
    cached = page_queries(member, meeting)
    call_command("migrate", verbosity=0)  # as every deploy runs
    assert page_queries(member, meeting) > cached  # worked out and rendered again


def test_the_cached_body_holds_nothing_of_the_user_but_whether_they_may_review(
    member, meeting, plan_admin
):
    admin = Client()
    admin.force_login(plan_admin)  # may review too, but is another user with other rights
    bodies = []
    for client in (member, admin):
        caches["packs"].clear()  # each body rendered for its own user
        bodies.append(main(client, meeting))
    assert bodies[0] == bodies[1]


BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def test_a_browser_gets_the_kept_body_sent_compressed_as_it_was_kept(member, meeting):
    first = member.get(pack_url(meeting), **BROWSER)  # worked out, rendered and kept
    assert "Content-Encoding" not in first and "Two trained." in first.text
    served = member.get(pack_url(meeting), **BROWSER)
    assert served["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in served["Vary"]
    page = gzip.decompress(served.content).decode()  # checks the trailer's CRC and length
    assert len(served.content) < len(page) / 3
    # The same page a client taking no compression gets, the user's parts included.
    plain = member.get(pack_url(meeting))
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    # Each request has its own CSRF token and script nonce.
    fresh = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"')
    assert fresh.sub("", page) == fresh.sub("", plain.text)
    assert "Two trained." in page and "Sign out" in page


def test_a_client_refusing_gzip_gets_the_kept_pack_plain(member, meeting):
    main(member, meeting)
    served = member.get(pack_url(meeting), HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in served
    assert "Two trained." in served.text


def test_a_pack_before_its_meeting_day_ends_is_sent_as_rendered(member, make_meeting):
    today = make_meeting(rules.today(), "Today's board")
    served = member.get(pack_url(today), **BROWSER)
    assert served.status_code == 200 and "Content-Encoding" not in served
    assert "Two trained." in served.text


def drop_packs_table():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(PACKS_TABLE)}")


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_under_development_settings_keeps_packs_in_production(member, meeting):
    """Issue 20: development settings keep no packs (a dummy cache), and the table was
    made only for the caches in force when migrate ran, so every past pack answered 500
    once production settings were used on that database."""
    recorder = MigrationRecorder(connection)
    makes_the_table = [
        name
        for app, name in recorder.applied_migrations()
        if app == "governance" and "cache" in name
    ]
    try:
        drop_packs_table()
        for name in makes_the_table:
            recorder.record_unapplied("governance", name)
        with override_settings(CACHES=development.CACHES):
            call_command("migrate", verbosity=0)

        assert main(member, meeting) == main(member, meeting)  # kept, then served as kept
        assert caches["packs"].get(PEOPLE_KEY) is not None
    finally:
        call_command("createcachetable", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_missing_packs_table_is_a_database_check_error():
    assert checks.run_checks(databases=["default"], tags=["database"]) == []
    try:
        drop_packs_table()
        [error] = checks.run_checks(databases=["default"], tags=["database"])
    finally:
        call_command("createcachetable", verbosity=0)

    assert (error.id, error.level) == ("governance.E001", checks.ERROR)
    assert PACKS_TABLE in error.msg and "createcachetable" in error.hint
