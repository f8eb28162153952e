"""Owners' reminders: reasons, one digest per person, cadence, preferences, escalation."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from actions.models import Action, Owner, OwnerHolder
from reminders import ledger, services
from reminders.choices import Cadence, Reason
from reminders.models import SentReminder
from sendplan.roles import plan_admins_for_area
from tests.conftest import make_user

from .conftest import add_action


def run():
    return services.reminders_send()


def sent(recipient, reason=None):
    rows = SentReminder.objects.filter(recipient=recipient, sent_at__isnull=False)
    if reason:
        rows = rows.filter(reason=reason)
    return sorted(rows.values_list("action__reference", flat=True))


def age_records(days: int):
    """As if every e-mail so far had been sent ``days`` ago."""
    delta = datetime.timedelta(days=days)
    SentReminder.objects.update(
        window_start=F("window_start") - delta,
        claimed_at=F("claimed_at") - delta,
        sent_at=F("sent_at") - delta,
    )


def test_overdue_due_soon_and_stale_come_in_one_digest(plan, officer, settings):
    settings.SENDPLAN_SITE_URL = "https://sendplan.medway.example"
    run()
    [message] = [m for m in mail.outbox if m.to == ["olivia@example.org"]]
    assert message.subject == "Your SEND actions: 1 due soon, 1 overdue, 1 no recent update"
    assert "Action 1.1 & co." in message.body  # plain text is not HTML-escaped
    update_url = f"https://sendplan.medway.example/actions/{plan['overdue'].pk}/update/"
    assert update_url in message.body
    html = message.alternatives[0][0]
    assert f'href="{update_url}"' in html
    assert "https://sendplan.medway.example/reminders/preferences/" in message.body
    assert "Why you got this" in message.body and "Why you got this" in html
    assert sent(officer, Reason.OVERDUE) == ["1.1"]
    assert sent(officer, Reason.DUE_SOON) == ["1.2"]
    assert sent(officer, Reason.STALE) == ["1.3"]


def test_completed_and_archived_plans_get_no_reminders(plan, officer, strategy):
    strategy.stage = "archived"
    strategy.save()
    run()
    assert mail.outbox == []


def test_two_roles_one_digest(plan, officer, priority, area):
    other = Owner.objects.create(area=area, name="Head of 0-25 Integrated Service")
    OwnerHolder.objects.create(owner=other, user=officer)
    add_action(priority, "2.1", [other], due=-1)
    run()
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 1
    assert sent(officer, Reason.OVERDUE) == ["1.1", "2.1"]


def test_each_holder_gets_their_own_digest(plan, officer, owner):
    colleague = make_user("colin", "Officer")
    colleague.email = "colin@example.org"
    colleague.save()
    OwnerHolder.objects.create(owner=owner, user=colleague)
    run()
    assert sorted(m.to[0] for m in mail.outbox if "Your SEND" in m.subject) == [
        "colin@example.org",
        "olivia@example.org",
    ]


def test_the_same_reminder_is_not_sent_again_within_the_cadence(plan, officer):
    run()
    mail.outbox.clear()
    run()
    assert mail.outbox == []
    age_records(6)
    run()
    assert mail.outbox == []
    age_records(1)  # now 7 days ago: a week has passed
    run()
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(reason=Reason.OVERDUE, recipient=officer).count() == 2


def test_cadence_setting(plan, officer, settings):
    settings.SENDPLAN_REMINDER_CADENCE_DAYS = 2
    run()
    age_records(2)
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 1


def test_a_new_reason_is_sent_even_within_the_cadence(plan, officer):
    run()
    mail.outbox.clear()
    plan["fine"].due_date = timezone.localdate() + datetime.timedelta(days=5)
    plan["fine"].save()
    run()
    [message] = mail.outbox
    assert "1.4" in message.body and "1.1" not in message.body


def test_opting_out_stops_reminders(plan, officer):
    services.preference_save(user=officer, cadence=Cadence.OFF)
    run()
    assert not [m for m in mail.outbox if m.to == [officer.email]]


def test_daily_digest_waits_for_the_next_day(plan, officer):
    services.preference_save(user=officer, cadence=Cadence.DAILY)
    run()
    mail.outbox.clear()
    plan["fine"].due_date = timezone.localdate() + datetime.timedelta(days=5)
    plan["fine"].save()
    run()
    assert mail.outbox == []  # 1.4 is due soon now, but a digest went today
    age_records(1)
    run()
    [message] = mail.outbox
    assert "1.4" in message.body


def test_weekly_digest_waits_a_week(plan, officer):
    services.preference_save(user=officer, cadence=Cadence.WEEKLY)
    run()
    mail.outbox.clear()
    plan["fine"].due_date = timezone.localdate() + datetime.timedelta(days=5)
    plan["fine"].save()
    age_records(6)
    run()
    assert mail.outbox == []
    age_records(1)
    run()
    assert len(mail.outbox) == 1


def test_action_nobody_holds_goes_straight_to_plan_admins(
    priority, nobody_role, plan_admin, officer
):
    add_action(priority, "3.1", [nobody_role], due=-2)
    run()
    [message] = mail.outbox
    assert message.to == [plan_admin.email]
    assert "nobody holds Designated Clinical Officer 2" in message.body
    assert sent(plan_admin, Reason.NO_HOLDER) == ["3.1"]


def test_overdue_escalates_after_the_set_time_since_the_first_reminder(
    plan, officer, plan_admin, settings
):
    settings.SENDPLAN_ESCALATE_AFTER_DAYS = 14
    run()
    assert not [m for m in mail.outbox if m.to == [plan_admin.email]]
    age_records(13)
    run()
    assert sent(plan_admin) == []
    age_records(1)
    mail.outbox.clear()
    run()
    [escalation] = [m for m in mail.outbox if m.to == [plan_admin.email]]
    assert "Still overdue after a reminder" in escalation.body
    assert sent(plan_admin, Reason.ESCALATED_OVERDUE) == ["1.1"]
    assert sent(plan_admin, Reason.ESCALATED_STALE) == ["1.3"]
    assert "Update it" not in escalation.body  # admins are pointed to the action's page


def test_no_escalation_once_the_action_is_updated(plan, officer, plan_admin):
    run()
    age_records(20)
    plan["overdue"].status = "completed"
    plan["overdue"].save()
    run()
    assert Reason.ESCALATED_OVERDUE not in SentReminder.objects.values_list("reason", flat=True)


def test_escalation_still_comes_when_every_holder_opted_out(plan, officer, plan_admin, settings):
    settings.SENDPLAN_ESCALATE_AFTER_DAYS = 28  # 1.1 has been overdue for 29 days
    services.preference_save(user=officer, cadence=Cadence.OFF)
    run()
    assert sent(plan_admin, Reason.ESCALATED_OVERDUE) == ["1.1"]


def test_plan_admins_for_area_are_active_users_who_edit_the_plan(plan_admin, officer, area):
    gone = make_user("gone", "Plan admin")
    gone.is_active = False
    gone.save()
    assert list(plan_admins_for_area(area)) == [plan_admin]


def test_dry_run_sends_and_records_nothing(plan, officer, capsys):
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "olivia <olivia@example.org> reminders: due soon: 1.2; overdue: 1.1" in out
    assert "dry run: nothing sent or recorded" in out
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_command_prints_who_gets_what_and_twice_sends_once(plan, officer, capsys):
    call_command("send_reminders")
    assert "1 e-mails due, 1 sent, 0 failed" in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 e-mails due, 0 sent, 0 failed" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_person_without_an_address_is_reported_not_recorded(plan, officer):
    officer.email = ""
    officer.save()
    [outcome] = run()
    assert outcome.result == "no e-mail address"
    assert not SentReminder.objects.exists()


def test_a_failed_send_loses_nothing(plan, officer, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    [outcome] = run()
    assert outcome.result.startswith("failed")
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1
    assert sent(officer) == ["1.1", "1.2", "1.3"]


def test_a_claim_left_by_a_killed_run_is_retried_after_the_timeout(plan, officer, monkeypatch):
    def killed(self, fail_silently=False):
        raise KeyboardInterrupt  # the run is stopped while it sends: nothing after runs

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", killed)
    with pytest.raises(KeyboardInterrupt):
        run()
    monkeypatch.undo()
    assert SentReminder.objects.filter(sent_at__isnull=True).count() == 3
    run()
    assert mail.outbox == []  # the claim may still be in flight
    SentReminder.objects.update(claimed_at=F("claimed_at") - ledger.CLAIM_TIMEOUT)
    run()
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(sent_at__isnull=True).count() == 0
    assert sent(officer) == ["1.1", "1.2", "1.3"]


@pytest.mark.parametrize("cadence", [Cadence.AS_IT_HAPPENS, Cadence.DAILY, Cadence.WEEKLY])
def test_preference_page_saves_the_cadence(client, officer, cadence):
    client.force_login(officer)
    response = client.post("/reminders/preferences/", {"cadence": cadence}, follow=True)
    assert "Your reminder settings are saved." in response.content.decode()
    officer.refresh_from_db()
    assert officer.reminder_preference.cadence == cadence


def test_preference_page_refuses_an_unknown_cadence(client, officer):
    client.force_login(officer)
    response = client.post("/reminders/preferences/", {"cadence": "hourly"})
    assert "Select a valid choice" in response.content.decode()


def test_sent_log_is_read_only_in_the_admin(client, plan, officer, plan_admin):
    run()
    client.force_login(plan_admin)
    page = client.get("/admin/reminders/sentreminder/")
    assert page.status_code == 200
    assert "olivia@example.org" in page.content.decode()
    row = SentReminder.objects.first()
    assert client.post(f"/admin/reminders/sentreminder/{row.pk}/delete/").status_code == 403


def test_an_action_someone_was_reminded_of_is_kept_and_the_admin_says_why(
    client, plan, officer, plan_admin
):
    run()
    reminded = SentReminder.objects.first().action
    client.force_login(plan_admin)
    url = f"/admin/actions/action/{reminded.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.text
    assert "Sent reminder" in page.text and "permission" not in page.text
    client.post(url, {"post": "yes"})
    assert Action.objects.filter(pk=reminded.pk).exists()
    assert SentReminder.objects.filter(action=reminded).exists()
