"""Two runs at once send each reminder exactly once."""

import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone

from actions.models import OwnerHolder
from reminders import selectors, services
from reminders.models import SentReminder
from tests.conftest import make_user


def test_a_run_working_from_an_old_view_sends_nothing_already_sent(plan, officer):
    # Two runs read what is due at the same moment; the first sends, the second must not.
    now = timezone.now()
    first = selectors.due_reminders(today=timezone.localdate(), now=now)
    second = selectors.due_reminders(today=timezone.localdate(), now=now)
    assert [o.result for o in services.deliver(first)] == ["sent"]
    assert [o.result for o in services.deliver(second)] == ["already handled"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_exactly_once(plan, owner, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL's row locks; SQLite runs one writer at a time anyway.")
    for number in range(8):
        person = make_user(f"owner{number}", "Officer")
        person.email = f"owner{number}@example.org"
        person.save()
        OwnerHolder.objects.create(owner=owner, user=person)
    original_send = EmailMultiAlternatives.send

    def slow_send(self, fail_silently=False):
        time.sleep(0.05)  # keep both runs busy at the same time
        return original_send(self, fail_silently=fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    start = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            start.wait()
            services.reminders_send()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert errors == []
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert len(recipients) == 8 and set(recipients.values()) == {1}
    rows = SentReminder.objects.values_list("recipient_id", "action_id", "reason")
    assert len(rows) == len(set(rows)) == 8 * 3
    assert not SentReminder.objects.filter(sent_at__isnull=True).exists()
