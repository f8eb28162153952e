"""An officer who forgot their password resets it from the sign-in page, by the e-mailed
link, and every page of it passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_resets_a_forgotten_password(page, officer, live_server, settings):
    settings.SENDPLAN_SITE_URL = live_server.url
    officer.email = "olivia@medway.example"
    officer.save()

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert axe_violations(page) == []
    page.get_by_label("Email").fill("olivia@medway.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert axe_violations(page) == []

    [sent] = mail.outbox
    page.goto(re.search(rf"{re.escape(live_server.url)}/sign-in/reset/\S+/", sent.body)[0])
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("New password", exact=True).fill("Spring-Meadow-Kettle-42")
    page.get_by_label("New password confirmation").fill("Spring-Meadow-Kettle-42")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("Spring-Meadow-Kettle-42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
