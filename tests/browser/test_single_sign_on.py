"""Single sign-on through a real OpenID Connect provider, started by node on loopback.

The provider is the npm package oidc-provider (tests/browser/oidc_provider.mjs), with its
development sign-in page: any login is accepted as the account, whose e-mail is
<login>@council.example; its Cancel link answers access_denied. The entra_provider sends
Microsoft Entra ID's claims: oid, tid, preferred_username, email, no email_verified.
"""

import json
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.models import HowLinked, SignOnIdentity
from sendplan import roles
from tests.conftest import make_user

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).parent
NODE = shutil.which("node")
PROVIDER_PACKAGE = Path(django_settings.BASE_DIR) / "node_modules" / "oidc-provider"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider(list):
    """The authorization requests the provider saw, and where it is."""

    issuer = ""

    def disable(self, login: str):
        """The council disables a leaver's account at the provider."""
        requests.get(f"{self.issuer}/test/disable", params={"login": login}, timeout=10)


@pytest.fixture
def provider(live_server, settings):
    yield from run_provider(live_server, settings)


@pytest.fixture
def entra_provider(live_server, settings):
    yield from run_provider(live_server, settings, "entra")


def run_provider(live_server, settings, *shape):
    if NODE is None:
        pytest.skip("The single sign-on test needs Node.js (node) to run its provider.")
    if not PROVIDER_PACKAGE.exists():
        pytest.skip("The single sign-on test needs the npm package oidc-provider: run npm ci.")
    port = free_port()
    callback = f"{live_server.url}/sign-in/council/callback/"
    process = subprocess.Popen(
        [NODE, str(HERE / "oidc_provider.mjs"), str(port), callback, *shape],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    ready = threading.Event()
    authorizations = Provider()

    def read_output():
        for line in process.stdout:
            if line.strip() == "ready":
                ready.set()
            elif line.startswith("{"):
                authorizations.append(json.loads(line)["authorization"])

    threading.Thread(target=read_output, daemon=True).start()
    if not ready.wait(timeout=30):
        process.kill()
        pytest.fail("The OpenID Connect provider did not start.")
    issuer = authorizations.issuer = f"http://127.0.0.1:{port}"
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    settings.OIDC_RP_CLIENT_SECRET = "sendplan-test-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *django_settings.AUTHENTICATION_BACKENDS,
        "accounts.single_sign_on.CouncilAccountBackend",
    ]
    yield authorizations
    process.terminate()
    process.wait(timeout=10)


def sign_in_at_the_provider(page, live_server, login: str):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_a_sign_on_with_a_superusers_e_mail_is_not_that_superuser(
    page, live_server, entra_provider
):
    User.objects.create_superuser("root", email="Sam@Council.Example", password="pw")

    sign_in_at_the_provider(page, live_server, "sam")

    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "An account with your e-mail, sam@council.example, already exists"
    )
    expect(page.get_by_text("only the service administrator can link")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert User.objects.count() == 1
    assert not SignOnIdentity.objects.get().is_linked
    assert axe_violations(page) == []


def test_an_officer_proves_their_account_once_then_signs_in_with_the_council_account(
    page, live_server, entra_provider, officer
):
    officer.email = "Olivia@Council.Example"  # the same whatever the case
    officer.save()
    sign_in_at_the_provider(page, live_server, "olivia")
    expect(
        page.get_by_text("sign in below with its password in the next 10 minutes")
    ).to_be_visible()

    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_text("Your council account is now linked")).to_be_visible()
    identity = SignOnIdentity.objects.get()
    assert identity.how_linked == HowLinked.PASSWORD and identity.user == officer
    tenant_and_object = identity.subject.split("/")
    assert tenant_and_object[0] == "9188040d-6c67-4c5b-b112-36a304b66dad"
    page.get_by_role("button", name="Sign out").click()

    # Still signed in at the provider, which sends them straight back.
    page.get_by_role("button", name="Sign in with your council account").click()

    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    expect(page.locator(".sendplan-account__who").first).to_contain_text("Olivia (Officer)")
    assert all(
        authorization["code_challenge_method"] == "S256" and authorization["code_challenge"]
        for authorization in entra_provider
    )
    assert User.objects.count() == 1


def session_of(page) -> SessionStore:
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    return SessionStore(cookie["value"])


def expire_the_provider_check(page):
    """As if OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS had passed since the sign-on."""
    session = session_of(page)
    session["oidc_id_token_expiration"] = 0
    session.save()


def test_a_leaver_disabled_at_the_provider_loses_access(page, live_server, entra_provider):
    sign_in_at_the_provider(page, live_server, "leaver")
    expect(page.get_by_text("Your account has no role yet")).to_be_visible()
    # Checked again on the first page a quarter of an hour (the default) after signing on.
    recheck_in = session_of(page)["oidc_id_token_expiration"] - time.time()
    assert 15 * 60 - 60 < recheck_in <= 15 * 60
    expire_the_provider_check(page)
    page.reload()  # checked again without a prompt: still at the council
    expect(page.get_by_text("Your account has no role yet")).to_be_visible()
    assert entra_provider[-1]["prompt"] == "none"

    entra_provider.disable("leaver")
    expire_the_provider_check(page)
    page.reload()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your council account did not sign you in"
    )
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_someone_new_gets_an_account_with_no_role(page, live_server, provider, db):
    sign_in_at_the_provider(page, live_server, "new.starter")

    expect(page.get_by_text("Your account has no role yet")).to_be_visible()
    user = User.objects.get(email="new.starter@council.example")
    assert user.username == "new.starter@council.example"
    assert not user.groups.exists() and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    identity = user.sign_on_identities.get()
    assert (identity.issuer, identity.subject) == (provider.issuer, "new.starter")
    assert identity.how_linked == HowLinked.NEW_ACCOUNT


def test_a_refusal_at_the_provider_ends_on_the_sign_in_page(page, live_server, provider, officer):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.get_by_role("link", name="Cancel").click()

    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your council account did not sign you in"
    )
    assert page.url.startswith(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert axe_violations(page) == []


def test_with_password_sign_in_off_only_the_council_account_is_offered(
    page, live_server, provider, settings
):
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    make_user("bea", roles.BOARD_MEMBER)
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("button", name="Sign in with your council account")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    assert axe_violations(page) == []
