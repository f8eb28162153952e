"""Sessions end after an idle hour and twelve hours after signing in (the defaults), and a
single sign-on is re-checked with the provider, so a leaver disabled there is out."""

from django.conf import settings as django_settings
from django.urls import reverse

from accounts import sessions

SIGN_ON = "accounts.single_sign_on.CouncilAccountBackend"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, username="olivia"):
    client.post(reverse("login"), {"username": username, "password": "pw"})
    assert signed_in(client)


def turn_back(client, key: str, seconds: float):
    """As if ``key``'s moment were ``seconds`` earlier: the clock moved on without a wait."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_an_hour_without_a_page_signs_out_with_a_message(client, officer):
    sign_in(client)
    turn_back(client, sessions.LAST_SEEN_AT, 60 * 60 + 1)

    response = client.get("/", follow=True)

    assert response.redirect_chain[0] == (f"{reverse('login')}?next=/", 302)
    assert "You were signed out after 60 minutes without using sendplan." in response.text
    assert not signed_in(client)


def test_an_update_posted_after_the_hour_is_not_saved(client, officer, action):
    sign_in(client)
    turn_back(client, sessions.LAST_SEEN_AT, 60 * 60 + 1)
    written = action.history.count()
    update = {"status": "in_progress", "note": "Typed for an hour.", "seen_version": "1"}

    response = client.post(reverse("actions:update", args=[action.pk]), update)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert action.history.count() == written


def test_a_page_within_the_hour_keeps_the_session_and_restarts_the_hour(client, officer):
    sign_in(client)
    turn_back(client, sessions.LAST_SEEN_AT, 59 * 60)

    assert client.get("/").status_code == 200
    turn_back(client, sessions.LAST_SEEN_AT, 30 * 60)
    assert client.get("/").status_code == 200
    assert signed_in(client)


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(client, officer):
    sign_in(client)
    turn_back(client, sessions.SIGNED_IN_AT, 12 * 60 * 60 + 1)

    response = client.get("/", follow=True)

    assert "You were signed out 12 hours after signing in. Sign in again." in response.text
    assert not signed_in(client)


def test_the_time_outs_are_settings(client, officer, settings):
    settings.SENDPLAN_IDLE_TIMEOUT_MINUTES = 15
    sign_in(client)
    turn_back(client, sessions.LAST_SEEN_AT, 16 * 60)
    assert "after 15 minutes without using" in client.get("/", follow=True).text


def test_the_session_cookie_lasts_no_longer_than_the_session(client, officer):
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw"})
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 60 * 60


def sign_on_settings(settings):
    settings.OIDC_RP_CLIENT_ID = "sendplan"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"
    settings.AUTHENTICATION_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, SIGN_ON]


def test_a_sign_on_is_checked_again_with_the_provider_and_its_refusal_signs_out(
    client, officer, settings
):
    sign_on_settings(settings)
    client.force_login(officer, backend=SIGN_ON)
    session = client.session
    session["oidc_id_token_expiration"] = 0  # the re-check is due
    session.save()

    response = client.get("/")

    location = response["Location"]
    assert location.startswith("https://login.example/authorize?") and "prompt=none" in location
    # The provider answers that the person cannot sign in (disabled there).
    state = next(iter(client.session["oidc_states"]))
    response = client.get(
        reverse("oidc_authentication_callback"), {"error": "login_required", "state": state}
    )
    assert response["Location"] == f"{reverse('login')}?sso-failed"
    assert not signed_in(client)


def test_a_password_sign_in_is_not_sent_to_the_provider(client, officer, settings):
    sign_on_settings(settings)
    sign_in(client)
    assert client.get("/").status_code == 200
