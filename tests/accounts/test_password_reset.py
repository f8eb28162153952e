"""Password reset by e-mail, in the site's own pages: the link arrives through a real SMTP
server, sets a new password once, expires, and says nothing about who has an account."""

import datetime
import email
import re
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse

from tests.reminders.test_smtp import Inbox, free_port, smtp_settings

SITE = "https://sendplan.example.gov.uk"


@pytest.fixture
def inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    settings.SENDPLAN_SITE_URL = SITE
    yield inbox
    controller.stop()


@pytest.fixture
def olivia(officer):
    officer.email = "Olivia.Owen@medway.example"
    officer.save()
    return officer


def ask_reset(client, address):
    return client.post(reverse("password_reset"), {"email": address})


def the_link(message) -> str:
    parsed = email.message_from_string(message.as_string(), policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    return re.search(rf"{re.escape(SITE)}(/sign-in/reset/\S+/)", text)[1]


def test_the_link_arrives_by_smtp_sets_a_new_password_and_signs_in(client, olivia, inbox):
    response = ask_reset(client, "olivia.owen@MEDWAY.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [received] = inbox.messages
    assert received["To"] == "Olivia.Owen@medway.example"
    assert received["Subject"] == "Reset your sendplan password"
    body = received.get_payload()
    assert f"sendplan, the SEND action plan at {SITE}" in body
    assert "within 60 minutes" in body
    assert mail.outbox == []  # through SMTP, not the test backend

    link = the_link(received)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    new_password = "Spring-Meadow-Kettle-42"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == reverse("password_reset_complete")

    signed_in = client.post(reverse("login"), {"username": "olivia", "password": new_password})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    # Once only: the used link sets nothing again.
    client.logout()
    assert "This link does not work" in client.get(link, follow=True).text


def test_known_and_unknown_addresses_get_the_same_answer(client, olivia, inbox):
    known = ask_reset(client, "olivia.owen@medway.example")
    unknown = ask_reset(client, "nobody@medway.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"]).text
    assert "If the address belongs to an account" in page
    assert len(inbox.messages) == 1


def test_the_link_expires(client, olivia, inbox, monkeypatch, settings):
    ask_reset(client, "olivia.owen@medway.example")
    link = the_link(inbox.messages[0])
    made = PasswordResetTokenGenerator()._now()
    later = made + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    assert "This link does not work" in client.get(link, follow=True).text


def test_the_link_is_on_the_sites_address_whatever_host_was_asked(client, olivia, inbox, settings):
    settings.ALLOWED_HOSTS = ["sendplan.example.gov.uk", "sendplan-internal"]
    client.post(
        reverse("password_reset"),
        {"email": "olivia.owen@medway.example"},
        headers={"host": "sendplan-internal"},
    )
    assert "sendplan-internal" not in inbox.messages[0].get_payload()
    assert the_link(inbox.messages[0])


def test_with_sign_on_only_the_pages_send_to_the_council_sign_in(client, olivia, inbox, settings):
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    page = client.get(reverse("password_reset"))
    assert "Sign in with your council account" in page.text
    ask_reset(client, "olivia.owen@medway.example")
    assert inbox.messages == []


def test_with_sign_on_only_a_break_glass_account_can_still_reset(client, db, inbox, settings):
    User.objects.create_superuser("root", email="root@medway.example", password="pw")
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    settings.SENDPLAN_BREAK_GLASS_USERS = ["root"]
    ask_reset(client, "root@medway.example")
    assert len(inbox.messages) == 1


def test_a_link_sent_before_sign_on_only_sets_no_password(client, olivia, inbox, settings):
    ask_reset(client, "olivia.owen@medway.example")
    link = the_link(inbox.messages[0])
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    form = client.get(link, follow=True)
    assert "Sign in with your council account" in form.text
    new = {"new_password1": "A-New-One-99", "new_password2": "A-New-One-99"}
    client.post(form.redirect_chain[-1][0], new)
    assert User.objects.get(username="olivia").check_password("pw")


def test_the_sign_in_page_offers_a_reset_when_passwords_are_used(client, db, settings):
    assert reverse("password_reset") in client.get(reverse("login")).text
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"
    assert reverse("password_reset") not in client.get(reverse("login")).text
