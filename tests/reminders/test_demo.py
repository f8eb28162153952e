"""The demo is ready for an update round, and send_reminders on it sends once."""

import io

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action
from governance import services as governance_services
from governance.models import Meeting
from reminders import services


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_has_a_coming_partnership_board_whose_round_reaches_the_officer(db):
    load_demo()
    load_demo()  # a second run adds nothing
    [coming] = Meeting.objects.filter(
        board__kind="partnership", board__area__name="Medway", date__gt=timezone.localdate()
    )
    update_round = governance_services.round_start(
        meeting=coming, user=User.objects.get(username="planadmin")
    )
    officer = User.objects.get(username="officer")
    held = Action.objects.open().filter(priority__strategy=coming.strategy, owners__holders=officer)
    assert held.exists()
    services.round_requests_send(update_round=update_round)
    assert [m.to for m in mail.outbox] == [["olive.officer@example.org"]]


def test_send_reminders_twice_sends_the_reminders_once(db):
    load_demo()
    call_command("send_reminders", stdout=io.StringIO())
    first = len(mail.outbox)
    assert first >= 2  # the officer's digest and the plan admin's escalations
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert len(mail.outbox) == first
    assert "0 e-mails due" in out.getvalue()
