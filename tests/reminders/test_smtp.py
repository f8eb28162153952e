"""Delivery through a real SMTP server on loopback (aiosmtpd): what arrives, and that a
server refusing or not answering loses nothing."""

import email
import io
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail
from django.core.management import CommandError, call_command

from reminders import services
from reminders.models import SentReminder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


class Refusing:
    async def handle_DATA(self, server, session, envelope):
        return "554 5.7.1 Message refused"


def smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def smtp_server(settings):
    def serve(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        smtp_settings(settings, controller.port)
        return handler

    servers = []
    yield serve
    for controller in servers:
        controller.stop()


def test_reminders_arrive_with_the_right_recipient_and_links(plan, officer, smtp_server, settings):
    settings.SENDPLAN_SITE_URL = "https://sendplan.example.gov.uk"
    inbox = smtp_server(Inbox())
    [outcome] = services.reminders_send()
    assert outcome.result == "sent"
    [received] = inbox.messages
    assert received["To"] == "olivia@example.org"
    assert received["X-RcptTo"] == "olivia@example.org"
    parsed = email.message_from_string(received.as_string(), policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    link = f"https://sendplan.example.gov.uk/actions/{plan['overdue'].pk}/update/"
    assert link in text and f'href="{link}"' in html
    assert mail.outbox == []  # it went through SMTP, not the test backend


def test_a_refusing_server_loses_nothing(plan, officer, smtp_server):
    smtp_server(Refusing())
    with pytest.raises(CommandError, match="1 e-mails failed; they stay due"):
        call_command("send_reminders", stdout=io.StringIO())
    [outcome] = services.reminders_send()
    assert outcome.result.startswith("failed: SMTPDataError")
    assert not SentReminder.objects.exists()
    inbox = smtp_server(Inbox())  # the server is back
    services.reminders_send()
    assert len(inbox.messages) == 1
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == 3


def test_a_server_that_never_answers_loses_nothing(plan, officer, settings):
    with socket.socket() as silent:  # accepts connections, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        smtp_settings(settings, silent.getsockname()[1])
        settings.EMAIL_TIMEOUT = 1
        [outcome] = services.reminders_send()
    assert outcome.result.startswith("failed")
    assert "timed out" in outcome.result
    assert not SentReminder.objects.exists()
