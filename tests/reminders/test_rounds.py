"""Update round e-mails and pages: the request at the start, chasers, the round page."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import OwnerHolder
from actions.services import actions as action_services
from governance import services as governance_services
from governance.models import Meeting
from reminders import services
from reminders.choices import Cadence, Reason
from reminders.models import SentReminder
from tests.conftest import make_user

from .conftest import add_action, day


def start(client, meeting, **data):
    return client.post(reverse("rounds:start", args=[meeting.pk]), data, follow=True)


def officer_update(action, officer, note="Moving on."):
    action_services.action_update_progress(
        action=action,
        user=officer,
        status=action.status,
        rag=action.rag,
        percent_complete=action.percent_complete,
        note=note,
    )


def age_round_emails(days: int):
    delta = datetime.timedelta(days=days)
    SentReminder.objects.update(
        window_start=F("window_start") - delta,
        claimed_at=F("claimed_at") - delta,
        sent_at=F("sent_at") - delta,
    )


@pytest.fixture
def round_started(client, plan, officer, plan_admin, meeting):
    client.force_login(plan_admin)
    open_ids = [a.pk for key, a in plan.items() if key != "completed"]
    start(client, meeting, deadline=day(20).isoformat(), actions=open_ids)
    return meeting.update_round


def test_plan_admin_starts_a_round_and_each_owner_gets_one_request(
    client, plan, officer, plan_admin, meeting
):
    client.force_login(plan_admin)
    form = client.get(reverse("rounds:start", args=[meeting.pk])).content.decode()
    assert f'value="{day(20).isoformat()}"' in form  # ten days before the meeting
    response = start(
        client, meeting, deadline=day(20).isoformat(), actions=[plan["overdue"].pk, plan["fine"].pk]
    )
    assert "Update round started. E-mailed 1 owner: Olivia." in response.content.decode()
    [request] = mail.outbox
    assert request.to == [officer.email]
    assert request.subject.startswith("Please update 2 actions before the SEND Partnership Board")
    for action in (plan["overdue"], plan["fine"]):
        assert f"http://127.0.0.1:8000/actions/{action.pk}/update/" in request.body
    assert "1.2" not in request.body
    assert "cannot be turned off" in request.body
    assert "http://127.0.0.1:8000/reminders/preferences/" in request.alternatives[0][0]


def test_a_request_reaches_owners_who_opted_out_of_reminders(
    client, plan, officer, plan_admin, meeting
):
    services.preference_save(user=officer, cadence=Cadence.OFF)
    client.force_login(plan_admin)
    start(client, meeting, deadline=day(20).isoformat(), actions=[plan["overdue"].pk])
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_start_form_reports_a_bad_deadline(client, plan, plan_admin, meeting):
    client.force_login(plan_admin)
    response = start(client, meeting, deadline=day(40).isoformat(), actions=[plan["fine"].pk])
    assert "The deadline must be on or before the meeting." in response.content.decode()
    assert mail.outbox == []


def test_request_is_not_sent_twice(round_started, officer):
    services.reminders_send()
    assert [m.subject for m in mail.outbox if m.subject.startswith("Please update")] == [
        mail.outbox[0].subject
    ]


def test_failed_request_is_sent_by_the_next_run(
    client, plan, officer, plan_admin, meeting, monkeypatch
):
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send", lambda self, **kwargs: 1 / 0
    )
    client.force_login(plan_admin)
    response = start(client, meeting, deadline=day(20).isoformat(), actions=[plan["fine"].pk])
    assert "Not e-mailed: olivia (failed" in response.content.decode()
    monkeypatch.undo()
    services.reminders_send()
    assert [m for m in mail.outbox if m.subject.startswith("Please update")]


def test_chaser_goes_only_to_owners_not_updated_after_the_interval(
    round_started, plan, officer, owner, settings
):
    settings.SENDPLAN_ROUND_CHASE_EVERY_DAYS = 3
    colleague = make_user("colin", "Officer")
    colleague.email = "colin@example.org"
    colleague.save()
    mail.outbox.clear()
    services.reminders_send()
    # Colin holds no role yet; Olivia was asked today: nothing to chase.
    assert not [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    for action in (plan["overdue"], plan["due_soon"], plan["stale"]):
        officer_update(action, officer)
    age_round_emails(3)
    mail.outbox.clear()
    services.reminders_send()
    [chaser] = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert chaser.to == [officer.email]
    assert "1.4" in chaser.body and "1.1" not in chaser.body
    OwnerHolder.objects.create(owner=owner, user=colleague)
    officer_update(plan["fine"], officer)
    mail.outbox.clear()
    services.reminders_send()
    round_mails = [
        m for m in mail.outbox if "Please update" in m.subject or "Reminder:" in m.subject
    ]
    # Colin, a new holder, gets the request; nobody is chased, everything is updated.
    assert [m.to for m in round_mails] == [["colin@example.org"]]


def test_chase_now_button_chases_only_when_the_interval_allows(
    client, round_started, plan_admin, officer
):
    url = reverse("rounds:chase", args=[round_started.pk])
    mail.outbox.clear()
    response = client.post(url, follow=True)
    assert "Nobody to chase now" in response.content.decode()
    age_round_emails(3)
    response = client.post(url, follow=True)
    assert "Chased the owners not yet updated. E-mailed 1 owner: Olivia." in (
        response.content.decode()
    )
    [chaser] = mail.outbox
    assert chaser.subject.startswith("Reminder: 4 actions still need your update")
    assert SentReminder.objects.filter(reason=Reason.ROUND_CHASER).count() == 4


def test_round_page_shows_who_has_updated(client, round_started, plan, officer, plan_admin):
    officer_update(plan["overdue"], officer)
    page = client.get(reverse("rounds:detail", args=[round_started.pk])).content.decode()
    assert "1 of 4 actions updated since" in page
    assert "(25%)" in page
    assert "Chase the rest now" in page
    assert "Olivia" in page


def test_officer_cannot_run_rounds(client, meeting, officer, plan):
    client.force_login(officer)
    assert client.get(reverse("rounds:list")).status_code == 403
    assert client.get(reverse("rounds:start", args=[meeting.pk])).status_code == 403
    other_admin = make_user("admin2", "Plan admin")
    update_round = governance_services.round_start(
        meeting=meeting, user=other_admin, deadline=day(10)
    )
    assert client.post(reverse("rounds:chase", args=[update_round.pk])).status_code == 403


def test_round_list_offers_to_start_a_round_for_a_coming_meeting(client, plan_admin, meeting):
    client.force_login(plan_admin)
    page = client.get(reverse("rounds:list")).content.decode()
    assert reverse("rounds:start", args=[meeting.pk]) in page


def _round_page_queries(client, update_round) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("rounds:detail", args=[update_round.pk]))
    assert response.status_code == 200
    return len(queries)


def test_round_page_query_count_is_the_same_for_10_and_200_actions(
    client, priority, owner, officer, plan_admin, board, strategy
):
    client.force_login(plan_admin)
    counts = []
    for size in (10, 200):
        meeting = Meeting.objects.create(
            board=board, strategy=strategy, date=day(30 + size), title=f"Board {size}"
        )
        for number in range(size):
            add_action(priority, f"{size}.{number}", [owner], due=100)
        update_round = governance_services.round_start(
            meeting=meeting,
            user=plan_admin,
            actions=list(priority.actions.filter(reference__startswith=f"{size}.")),
        )
        for action in list(update_round.actions.all())[:3]:
            officer_update(action, officer)
        counts.append(_round_page_queries(client, update_round))
    assert counts[0] == counts[1]


def test_no_chasers_once_the_meeting_has_happened(round_started, meeting):
    age_round_emails(3)
    Meeting.objects.filter(pk=meeting.pk).update(date=day(-1))
    mail.outbox.clear()
    services.reminders_send()
    assert not [m for m in mail.outbox if m.subject.startswith("Reminder:")]


def test_the_round_pages_old_addresses_lead_to_their_pages(client, round_started, meeting):
    old_to_new = {
        "/reminders/rounds/": reverse("rounds:list"),
        f"/reminders/rounds/{round_started.pk}/": reverse("rounds:detail", args=[round_started.pk]),
        f"/reminders/meetings/{meeting.pk}/round/start/": reverse(
            "rounds:start", args=[meeting.pk]
        ),
    }
    for old, new in old_to_new.items():
        response = client.get(old)
        assert (response.status_code, response.url) == (301, new)
    assert client.get(reverse("rounds:detail", args=[round_started.pk])).status_code == 200


def test_the_menu_marks_update_rounds_not_board_meetings_on_a_round_page(client, round_started):
    page = client.get(reverse("rounds:detail", args=[round_started.pk])).content.decode()
    current = [line for line in page.splitlines() if 'aria-current="true"' in line]
    assert len(current) == 1 and ">Update rounds</a>" in current[0]
