"""The lockout page, as a browser shows it after repeated wrong passwords."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_repeated_wrong_passwords_end_on_the_lockout_page(sign_in, officer):
    for n in range(settings.SENDPLAN_SIGN_IN_FAILURE_LIMIT):
        page = sign_in("olivia", f"guess-{n}")
    page = sign_in("olivia", "pw")
    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    expect(page.get_by_text("You can try again after")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert axe_violations(page) == []
