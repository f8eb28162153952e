"""Password sign-in can be switched off but for break-glass superusers; single sign-on is
off until it is configured."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts import sign_in_rules
from accounts.single_sign_on import CouncilAccountBackend
from tests.test_settings import run_manage


def test_with_password_sign_in_off_a_posted_password_is_refused(client, officer, settings):
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"

    page = client.get(reverse("login"))
    assert 'name="password"' not in page.text
    assert "Sign in with your council account" in page.text

    response = client.post(reverse("login"), {"username": "olivia", "password": "pw"})
    assert response.status_code == 403
    assert "switched off" in response.text
    assert "_auth_user_id" not in client.session


def test_without_a_client_id_there_is_no_single_sign_on(client, db):
    assert "council account" not in client.get(reverse("login")).text
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_council_button_starts_the_code_flow_with_pkce(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"
    response = client.get(reverse("oidc_authentication_init"), {"next": "/plans/"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://login.example/authorize?response_type=code&")
    assert "code_challenge_method=S256" in location and "nonce=" in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Fsign-in%2Fcouncil%2Fcallback%2F" in location


@pytest.mark.parametrize(
    "claims, accepted",
    [
        ({"email": "olivia@council.example"}, True),
        ({"email": "olivia@council.example", "email_verified": True}, True),
        ({"email": "olivia@council.example", "email_verified": False}, False),
        ({"sub": "123"}, False),
    ],
)
def test_only_a_vouched_for_e_mail_is_matched(claims, accepted):
    assert CouncilAccountBackend().verify_claims(claims) is accepted


def show_backends(**env):
    show = "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)"
    return run_manage("shell", "-c", show, **env)


def test_password_sign_in_off_drops_the_password_backend():
    result = show_backends(SENDPLAN_PASSWORD_SIGN_IN="false", OIDC_RP_CLIENT_ID="sendplan")
    backends = result.stdout.strip().splitlines()[-1]
    assert "ModelBackend" not in backends and "CouncilAccountBackend" in backends


def test_no_way_to_sign_in_at_all_is_refused_at_start():
    result = show_backends(SENDPLAN_PASSWORD_SIGN_IN="false", OIDC_RP_CLIENT_ID="")
    assert result.returncode != 0
    assert "Set OIDC_RP_CLIENT_ID (single sign-on) or leave SENDPLAN_PASSWORD_SIGN_IN on" in (
        result.stderr
    )


def test_with_password_sign_in_off_only_named_superusers_may_break_glass(client, officer, settings):
    settings.SENDPLAN_PASSWORD_SIGN_IN = False
    settings.SENDPLAN_BREAK_GLASS_USERS = ["root", "olivia"]
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    User.objects.create_superuser("root", password="pw")
    User.objects.create_superuser("other-root", password="pw")

    page = client.get(reverse("login")).text
    assert "Emergency sign-in for the service administrator" in page
    for username in ["olivia", "other-root"]:  # named but no superuser; superuser not named
        client.post(reverse("login"), {"username": username, "password": "pw"})
        assert "_auth_user_id" not in client.session
    client.post(reverse("login"), {"username": "root", "password": "pw"})
    assert client.session["_auth_user_id"] == str(User.objects.get(username="root").pk)


@pytest.mark.parametrize(
    "password_on, break_glass, username, allowed",
    [
        (True, [], "olivia", True),
        (False, [], "root", False),
        (False, ["root"], "root", True),
        (False, ["olivia"], "olivia", False),
    ],
)
def test_password_sign_in_allowed(password_on, break_glass, username, allowed, officer, settings):
    settings.SENDPLAN_PASSWORD_SIGN_IN = password_on
    settings.SENDPLAN_BREAK_GLASS_USERS = break_glass
    User.objects.create_superuser("root", password="pw")
    user = User.objects.get(username=username)
    assert sign_in_rules.password_sign_in_allowed(user) is allowed


def test_break_glass_users_keep_the_password_backend():
    result = show_backends(
        SENDPLAN_PASSWORD_SIGN_IN="false",
        SENDPLAN_BREAK_GLASS_USERS="root",
        OIDC_RP_CLIENT_ID="sendplan",
    )
    assert "accounts.sign_in_rules.PasswordBackend" in result.stdout.strip().splitlines()[-1]
