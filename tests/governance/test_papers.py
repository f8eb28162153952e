"""A meeting's published papers: published once, kept as published whatever is written
afterwards, read quickly, and referred to by the board's reviews and decisions."""

import datetime
import gzip
import importlib
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import rules
from actions.models import Action, Milestone, Owner
from actions.services.actions import action_delete, action_save
from actions.services.milestones import milestone_set_done
from actions.services.owner_update import action_update_by_owner
from actions.services.ownership import action_set_owners
from governance import services
from governance.backfill import publish_past_meetings_once
from governance.choices import PapersRoute
from governance.models import Decision, Engagement, Meeting, Papers
from governance.papers import papers_due
from governance.services import FollowUp, papers_publish
from measures.models import Measure, Series
from measures.services import value_record
from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy
from sendplan import roles
from sendplan.audit import save_with_history

from ..conftest import make_user, update_progress
from ..test_write_paths import form_data
from .conftest import london, on

BEFORE = datetime.date(2026, 3, 2)
FIRST = datetime.date(2026, 4, 14)
BETWEEN = datetime.date(2026, 5, 20)


@pytest.fixture
def plan(priority, owner, officer, plan_admin, strategy):
    """An action changed between the meetings, with a milestone, a measure and an engagement."""
    with on(BEFORE):
        first = Action(priority=priority, reference="1.1", text="Train SENCOs.", order=1)
        first.due_date = datetime.date(2027, 6, 30)
        action_save(action=first, user=plan_admin)
        action_set_owners(action=first, owners=[owner], user=plan_admin)
        spare = Action(priority=priority, reference="1.2", text="Publish guidance.", order=2)
        action_save(action=spare, user=plan_admin)
        save_with_history(Milestone(action=first, text="Book the trainer."), user=plan_admin)
        measure = Measure.objects.create(strategy=strategy, name="Reviews on time", owner=owner)
        value_record(
            measure=measure,
            period_end=datetime.date(2026, 1, 31),
            period_label="January 2026",
            value=Decimal(60),
            user=plan_admin,
        )
    with on(BETWEEN):
        update_progress(first, officer, "in_progress", rag="amber", note="Two trained.")
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
        services.engagement_save(engagement=engagement, user=plan_admin, actions=[first])
    return first, spare, measure, engagement


@pytest.fixture
def meeting(make_meeting, plan):
    """Today's meeting (reviews may be recorded, papers still published), after April's."""
    make_meeting(FIRST, "April board")
    return Meeting.objects.select_related("board__area", "strategy").get(
        pk=make_meeting(rules.today(), "Board").pk
    )


def page_url(meeting) -> str:
    return reverse("governance:meeting_pack", args=[meeting.pk])


def shown(client, meeting, url=None) -> str:
    response = client.get(url or page_url(meeting))
    assert response.status_code == 200
    return response.text


def published_record(meeting) -> tuple:
    """Everything a version keeps, read back from the database."""
    papers = Papers.objects.get(meeting=meeting)
    return papers.body, papers.data, bytes(papers.workbook), papers.as_at, papers.published_by_name


# Every kind of write there is, each made after the papers were published.


def owner_updates(ctx):
    first = Action.objects.get(pk=ctx["first"].pk)
    action_update_by_owner(
        action=first,
        user=ctx["officer"],
        status="completed",
        rag="green",
        percent_complete=100,
        note="All trained.",
        seen_version=first.version,
        new_due_date=datetime.date(2027, 1, 31),
        due_date_reason="Sooner",
    )


def ticks_a_milestone(ctx):
    milestone = Milestone.objects.get()
    assert milestone_set_done(milestone=milestone, user=ctx["officer"], done=True)


def admin_edits(model):
    def edit(ctx):
        obj = model.objects.get(pk=ctx[model._meta.model_name].pk)
        model_admin = admin.site._registry[model]
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        response = ctx["admin"].post(url, form_data(model_admin, obj, ctx["plan_admin"]))
        assert response.status_code == 302, response.content.decode()[-3000:]

    edit.__name__ = f"admin_edits_{model._meta.model_name}"
    return edit


def enters_a_measure_value(ctx):
    value_record(
        measure=ctx["measure"],
        period_end=datetime.date(2026, 1, 31),
        period_label="January 2026",
        value=Decimal(75),
        user=ctx["plan_admin"],
        series=Series.ACTUAL,
        reason="Corrected",
    )


def edits_an_engagement(ctx):
    engagement = Engagement.objects.get()
    engagement.we_did = "Letters were rewritten with the forum."
    services.engagement_save(engagement=engagement, user=ctx["plan_admin"])


def records_a_review(ctx):
    services.review_record(
        meeting=ctx["meeting"],
        priority=ctx["priority"],
        user=ctx["board_member"],
        comment="Needs a plan B.",
        follow_ups=[FollowUp("Audit the training.", "Head of SEND", datetime.date(2027, 1, 1))],
    )


def records_a_decision(ctx):
    decision = Decision(
        area=ctx["area"],
        meeting=ctx["meeting"],
        number="42/2026",
        title="Fund two trainers",
        decision_maker="Cabinet",
        decision="Two trainers are funded.",
    )
    services.decision_save(decision=decision, user=ctx["plan_admin"])


def starts_an_update_round(ctx):
    services.round_start(meeting=ctx["meeting"], user=ctx["plan_admin"])


def renames_a_user(ctx):
    officer = ctx["officer"]
    officer.first_name, officer.last_name = "Olga", "Okafor"
    officer.save()


def renames_the_area(ctx):
    area = ctx["area"]
    area.name = "Medway Council"
    save_with_history(area, user=ctx["plan_admin"])


def edits_the_meeting(ctx):
    meeting = Meeting.objects.get(pk=ctx["meeting"].pk)
    meeting.agenda = "A new agenda."
    meeting.minutes = "Agreed."
    services.meeting_save(meeting=meeting, user=ctx["plan_admin"])


def deletes_an_action(ctx):
    action_delete(action=ctx["spare"], user=ctx["plan_admin"], reason="Entered twice")


WRITES = [
    owner_updates,
    ticks_a_milestone,
    admin_edits(Action),
    admin_edits(Priority),
    admin_edits(Strategy),
    admin_edits(Owner),
    enters_a_measure_value,
    edits_an_engagement,
    records_a_review,
    records_a_decision,
    starts_an_update_round,
    renames_a_user,
    renames_the_area,
    edits_the_meeting,
    deletes_an_action,
]


@pytest.fixture
def ctx(client, meeting, plan, officer, plan_admin, board_member, priority, strategy, owner, area):
    first, spare, measure, engagement = plan
    client.force_login(plan_admin)
    return {
        "admin": client,
        "meeting": meeting,
        "first": first,
        "action": first,
        "spare": spare,
        "measure": measure,
        "engagement": engagement,
        "officer": officer,
        "plan_admin": plan_admin,
        "board_member": board_member,
        "priority": priority,
        "strategy": strategy,
        "owner": owner,
        "area": area,
    }


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_no_write_changes_the_published_papers(ctx, write):
    meeting = ctx["meeting"]
    papers_publish(meeting=meeting, user=ctx["plan_admin"])
    before = published_record(meeting)
    body = before[0]
    for words in ["Train SENCOs.", "Early identification", "Olivia", "Reviews on time"]:
        assert words in body
    assert "Termly survey" in body and "Joint SEND Strategy 2022-25" in body
    page = shown(ctx["admin"], meeting)
    assert body in page

    write(ctx)

    assert published_record(meeting) == before
    assert body in shown(ctx["admin"], meeting)
    zipped = ctx["admin"].get(page_url(meeting), HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert body in gzip.decompress(zipped.content).decode()
    workbook = ctx["admin"].get(reverse("governance:meeting_pack_xlsx", args=[meeting.pk]))
    assert workbook.content == before[2]


def test_every_write_at_once_leaves_the_papers_as_published(ctx):
    meeting = ctx["meeting"]
    papers_publish(meeting=meeting, user=ctx["plan_admin"])
    before = published_record(meeting)
    for write in WRITES:
        write(ctx)
    assert published_record(meeting) == before
    assert before[0] in shown(ctx["admin"], meeting)


# Publishing


def test_papers_are_due_five_clear_working_days_before_the_meeting():
    # Monday 14 December 2026: the five clear days are 7-11 December.
    assert papers_due(datetime.date(2026, 12, 14)) == datetime.date(2026, 12, 4)
    # Wednesday 6 January 2027: Christmas, Boxing Day (observed on the 28th) and New Year's
    # Day are bank holidays, so the clear days are 29-31 December, 4 and 5 January.
    assert papers_due(datetime.date(2027, 1, 6)) == datetime.date(2026, 12, 24)
    # Thursday 1 April 2027: Good Friday and Easter Monday do not count.
    assert papers_due(datetime.date(2027, 4, 1)) == datetime.date(2027, 3, 22)


def test_the_meetings_list_says_when_papers_are_due_late_or_published(
    client, board_member, make_meeting, plan_admin
):
    coming = make_meeting(datetime.date(2099, 6, 15), "Coming board")
    late = make_meeting(rules.today() + datetime.timedelta(days=1), "Tomorrow's board")
    published = make_meeting(rules.today() + datetime.timedelta(days=30), "Later board")
    papers_publish(meeting=published, user=plan_admin)
    client.force_login(board_member)
    text = shown(client, None, reverse("governance:meeting_list"))
    assert f"Due</strong> by {papers_due(coming.date):%-d %b %Y}" in text
    assert f"Late</strong> were due by {papers_due(late.date):%-d %b %Y}" in text
    assert f"Published</strong> {rules.today():%-d %b %Y} by Pat" in text


def test_a_plan_admin_publishes_from_the_meeting_page(client, meeting, plan_admin):
    client.force_login(plan_admin)
    text = shown(client, meeting)
    assert "Preview: these papers have not been published" in text
    assert "Publish the papers</button>" in text
    response = client.post(reverse("governance:papers_publish", args=[meeting.pk]), follow=True)
    assert "Papers published: version 1." in response.text
    papers = Papers.objects.get()
    assert (papers.version, papers.published_by, papers.route) == (1, plan_admin, "page")
    assert papers.published_by_name == "Pat"
    assert papers.as_at == papers.published_at
    assert "Preview" not in response.text
    assert (
        f"Version 1, published {timezone.localtime(papers.published_at):%-d %B %Y at %H:%M} by Pat"
        in response.text
    )


def test_a_board_member_may_not_publish(client, meeting, board_member):
    client.force_login(board_member)
    assert "Publish the papers" not in shown(client, meeting)
    response = client.post(reverse("governance:papers_publish", args=[meeting.pk]))
    assert response.status_code == 403
    assert not Papers.objects.exists()


def test_a_plan_admin_of_another_area_may_not_publish(meeting):
    other = make_user(
        "kent", roles.PLAN_ADMIN, meeting.board.area.__class__.objects.create(name="Kent")
    )
    with pytest.raises(PermissionDenied):
        papers_publish(meeting=meeting, user=other)


def test_publishing_again_before_the_meeting_keeps_every_version(
    client, meeting, plan, plan_admin, officer
):
    first = plan[0]
    v1 = papers_publish(meeting=meeting, user=plan_admin)
    update_progress(first, officer, "blocked", rag="red", note="Trainer left.")
    v2 = papers_publish(meeting=meeting, user=plan_admin)
    assert (v1.version, v2.version) == (1, 2)
    client.force_login(plan_admin)
    latest = shown(client, meeting)
    assert v2.body in latest and "Trainer left." in latest
    assert f'href="{v1.get_absolute_url()}">Version 1</a>' in latest
    earlier = shown(client, meeting, v1.get_absolute_url())
    assert v1.body in earlier and "Trainer left." not in earlier
    assert "An earlier version" in earlier


def test_papers_are_not_published_again_after_the_meeting(meeting, plan_admin, make_meeting):
    past = make_meeting(FIRST + datetime.timedelta(days=7), "A past board")
    papers = papers_publish(meeting=past, user=plan_admin)
    # A meeting held without papers gets them once, as the plan stood at the end of its day.
    assert papers.as_at == rules.end_of_day(past.date)
    with pytest.raises(ValidationError, match="has happened"):
        papers_publish(meeting=past, user=plan_admin)
    assert Papers.objects.filter(meeting=past).count() == 1


def test_the_refusal_is_said_on_the_page(client, make_meeting, plan_admin):
    past = make_meeting(FIRST, "April board")
    papers_publish(meeting=past, user=plan_admin)
    client.force_login(plan_admin)
    assert "Publish the papers again" not in shown(client, past)
    response = client.post(reverse("governance:papers_publish", args=[past.pk]), follow=True)
    assert "has happened: its papers are the record" in response.text


def test_published_papers_are_never_changed_or_deleted(meeting, plan_admin):
    papers = papers_publish(meeting=meeting, user=plan_admin)
    papers.body = "Rewritten."
    with pytest.raises(ValueError, match="never changed"):
        papers.save()
    with pytest.raises(ValueError, match="never deleted"):
        papers.delete()
    with pytest.raises(ValueError, match="never changed"):
        Papers.objects.filter(pk=papers.pk).update(body="Rewritten.")
    with pytest.raises(ValueError, match="never deleted"):
        Papers.objects.all().delete()
    assert Papers.objects.get().body != "Rewritten."
    with pytest.raises(ValidationError, match="stays on record"):
        services.meeting_delete(meeting=meeting, user=plan_admin)


def test_the_admin_shows_papers_read_only_and_publishes_through_the_service(
    client, meeting, plan_admin
):
    client.force_login(plan_admin)
    response = client.post(
        reverse("admin:governance_meeting_changelist"),
        {"action": "publish_papers", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "papers published, version 1" in response.text
    papers = Papers.objects.get()
    assert papers.route == PapersRoute.ADMIN and papers.published_by == plan_admin
    change = reverse("admin:governance_papers_change", args=[papers.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.post(change, {"body": "Rewritten."}).status_code == 403
    delete = reverse("admin:governance_papers_delete", args=[papers.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:governance_papers_add")).status_code == 403
    assert Papers.objects.get().body == papers.body


def test_the_command_publishes_as_the_operator(meeting):
    call_command("publish_papers", meeting=meeting.pk)
    papers = Papers.objects.get()
    assert (papers.route, papers.published_by) == (PapersRoute.COMMAND, None)
    assert papers.published_by_words == "by manage.py publish_papers"
    with pytest.raises(CommandError, match="No meeting has the id 999"):
        call_command("publish_papers", meeting=999)


# Reading them


def test_until_published_the_page_is_a_labelled_preview(client, board_member, meeting):
    client.force_login(board_member)
    text = shown(client, meeting)
    assert '<div class="app-preview-banner" id="preview">' in text
    assert "Preview: these papers have not been published" in text
    assert "The papers are due by" in text or "The papers were due by" in text


def test_reviews_and_decisions_refer_to_the_papers_current_when_recorded(ctx):
    meeting = ctx["meeting"]
    records_a_review(ctx)
    papers = papers_publish(meeting=meeting, user=ctx["plan_admin"])
    records_a_review(ctx)
    records_a_decision(ctx)
    first, second = meeting.reviews.order_by("pk")
    assert (first.papers, second.papers) == (None, papers)
    assert Decision.objects.get().papers == papers


def test_the_page_says_what_changed_since_the_papers_were_published(ctx):
    meeting = ctx["meeting"]
    papers_publish(meeting=meeting, user=ctx["plan_admin"])
    text = shown(ctx["admin"], meeting)
    assert "Since the papers were published" in text and "Nothing changed." in text
    owner_updates(ctx)
    text = shown(ctx["admin"], meeting)
    section = text[text.index('id="since"') : text.index('id="reviews"')]
    assert "1.1</a>" in section
    assert "Status In progress to Completed" in section
    assert "RAG rating Amber to Green" in section or "RAG Amber to Green" in section


def published_page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        shown(client, meeting)
    return len(queries)


def test_published_papers_are_read_with_a_few_queries_whatever_the_plan(
    client, board_member, meeting, plan_admin, priority, owner, officer
):
    from .test_board_pack import grow_plan

    papers_publish(meeting=meeting, user=plan_admin)
    client.force_login(board_member)
    shown(client, meeting)
    small = published_page_queries(client, meeting)
    assert small <= 16
    grow_plan(priority, owner, officer, range(200))
    Action.objects.filter(priority=priority).update(rag="red")
    assert published_page_queries(client, meeting) == small


# Meetings held before papers were published here


def test_past_meetings_get_papers_once_from_the_migration(client, board_member, make_meeting, plan):
    past = make_meeting(BETWEEN + datetime.timedelta(days=1), "May board")
    client.force_login(board_member)
    before = shown(client, past)
    migration = importlib.import_module("governance.migrations.0007_published_papers")
    applied = [(migration.Migration("0007_published_papers", "governance"), False)]

    publish_past_meetings_once(sender=None, plan=[], using="default")
    assert not Papers.objects.exists()
    publish_past_meetings_once(sender=None, plan=applied, using="default")

    papers = Papers.objects.get()
    assert (papers.meeting, papers.route, papers.published_by) == (past, "migration", None)
    assert papers.as_at == rules.end_of_day(past.date)
    # The body is what the page showed before, now published.
    assert papers.body in before
    after = shown(client, past)
    assert papers.body in after and "by the migration that replaced the packs cache" in after
    assert "Late</strong>" not in after and "after the date they were due" not in after
    publish_past_meetings_once(sender=None, plan=applied, using="default")
    assert Papers.objects.count() == 1


def test_retitling_a_priority_of_an_archived_plan_leaves_a_past_meetings_papers(ctx, make_meeting):
    """The reported defect: a plan admin retitled, in the admin, a priority of an archived
    plan, and a past meeting's pack changed with it."""
    past = make_meeting(BETWEEN + datetime.timedelta(days=1), "May board")
    papers_publish(meeting=past, user=None, route=PapersRoute.MIGRATION)
    strategy = ctx["strategy"]
    strategy.stage = StrategyStage.ARCHIVED
    save_with_history(strategy, user=ctx["plan_admin"])
    before = published_record(past)
    assert "Early identification" in before[0]

    # Since priorities are written through their service, the admin refuses the change;
    # the papers would hold even if it did not (the other writes here show that).
    priority = Priority.objects.get()
    url = reverse("admin:priorities_priority_change", args=[priority.pk])
    response = ctx["admin"].post(
        url, form_data(admin.site._registry[Priority], priority, ctx["plan_admin"])
    )
    assert response.status_code == 200
    assert "archived" in response.content.decode()

    assert Priority.objects.get().title == "Early identification"
    assert published_record(past) == before
    assert before[0] in shown(ctx["admin"], past)
