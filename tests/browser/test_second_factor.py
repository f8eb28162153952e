"""A plan admin sets up an authenticator app in the browser, under the Content-Security-
Policy, and every page of it passes axe."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import axe_violations
from .test_content_security_policy import RECORD_VIOLATIONS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.second_factor_asked]


def test_a_plan_admin_sets_up_the_app_and_opens_the_admin(page, sign_in, plan_admin, live_server):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in("pat")
    page.goto(f"{live_server.url}/admin/")

    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator-secret").inner_text().replace(" ", "")

    page.get_by_label("Code", exact=True).fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Plan administration")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
