"""Password sign-ins to the admin ask a second factor: a code from an authenticator app,
or a recovery code once. Single sign-on (whose provider asks its own) is not asked."""

import io
import re
from base64 import b32decode
from html import unescape
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.single_sign_on import CouncilAccountBackend
from tests.test_settings import run_manage

pytestmark = pytest.mark.second_factor_asked

ADMIN = "/admin/actions/action/"
SINGLE_SIGN_ON = f"{CouncilAccountBackend.__module__}.{CouncilAccountBackend.__qualname__}"


def sign_in(client, username, password="pw"):
    """Through the sign-in page, as a person does."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.text


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


@pytest.fixture
def authenticator(plan_admin):
    return TOTPDevice.objects.create(user=plan_admin, name="Authenticator app")


def test_a_password_sign_in_to_the_admin_is_asked_for_a_code(client, plan_admin, authenticator):
    sign_in(client, "pat")
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('second_factor')}?next={ADMIN}"

    page = client.get(response["Location"])
    assert "Enter your code" in page.text

    signed_in_session = client.session.session_key
    code = code_of(authenticator)
    response = client.post(reverse("second_factor"), {"code": code, "next": ADMIN})
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert client.session.session_key != signed_in_session


def test_a_wrong_code_keeps_the_admin_shut_and_the_next_try_must_wait(
    client, plan_admin, authenticator, settings
):
    # The first wait is this many seconds, doubling with each wrong code (django-otp).
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    sign_in(client, "pat")
    right = code_of(authenticator)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    page = client.post(reverse("second_factor"), {"code": wrong})
    assert page.status_code == 200
    assert "That code is not right" in page.text
    # Straight after a wrong code even the right one waits.
    page = client.post(reverse("second_factor"), {"code": right})
    assert "Too many wrong codes. Wait until" in page.text
    assert client.get(ADMIN).status_code == 302


def test_without_an_app_a_plan_admin_sets_one_up_and_gets_recovery_codes_once(client, plan_admin):
    sign_in(client, "pat")
    response = client.get(reverse("second_factor"), {"next": ADMIN})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_set_up"))

    page = client.get(response["Location"])
    assert "<svg" in page.text  # the QR code, inline, needing no script or image address
    address = unescape(re.search(r'id="authenticator-address" href="([^"]+)"', page.text)[1])
    assert address.startswith("otpauth://totp/sendplan%3Apat?secret=")
    secret = re.search(r"secret=([A-Z2-7]+)", address)[1]
    typed = re.search(r'id="authenticator-secret"[^>]*>([^<]+)<', page.text)[1]
    assert typed.replace(" ", "") == secret
    # A reload shows the same secret, which the app may already have scanned.
    assert secret in unquote(client.get(response["Location"]).text)

    code = f"{TOTP(b32decode(secret)).token():06d}"
    page = client.post(reverse("second_factor_set_up"), {"code": code, "next": ADMIN})
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.text)
    assert len(codes) == 10
    assert client.get(ADMIN).status_code == 200

    # Shown once: the set-up page is done with, and a password alone cannot replace the app.
    client.logout()
    sign_in(client, "pat")
    response = client.get(reverse("second_factor_set_up"))
    assert response["Location"].startswith(reverse("second_factor"))
    assert TOTPDevice.objects.filter(user=plan_admin).count() == 1


def test_a_recovery_code_opens_the_admin_once(client, plan_admin, authenticator):
    recovery = StaticDevice.objects.create(user=plan_admin, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="abcd2345")

    sign_in(client, "pat")
    response = client.post(reverse("second_factor"), {"code": " ABCD 2345 ", "next": ADMIN})
    # Most often a lost phone: the app can be set up anew, or not now.
    assert response["Location"] == f"{reverse('second_factor_set_up')}?next={quote(ADMIN, '')}"
    page = client.get(response["Location"])
    assert "You are signed in with a recovery code" in page.text
    assert f'href="{ADMIN}">Not now: continue' in page.text
    assert client.get(ADMIN).status_code == 200

    client.logout()
    sign_in(client, "pat")
    page = client.post(reverse("second_factor"), {"code": "abcd2345"})
    assert "That code is not right" in page.text
    assert client.get(ADMIN).status_code == 302


def test_after_a_recovery_code_a_new_phone_replaces_the_lost_one(client, plan_admin, authenticator):
    recovery = StaticDevice.objects.create(user=plan_admin, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="abcd2345")
    sign_in(client, "pat")
    client.post(reverse("second_factor"), {"code": "abcd2345"})

    page = client.get(reverse("second_factor_set_up"))
    secret = re.search(r"secret=([A-Z2-7]+)", unquote(page.text))[1]
    code = f"{TOTP(b32decode(secret)).token():06d}"
    page = client.post(reverse("second_factor_set_up"), {"code": code})
    assert len(re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.text)) == 10

    [phone] = TOTPDevice.objects.filter(user=plan_admin)
    assert phone.pk != authenticator.pk  # the lost phone's codes open nothing now
    assert not StaticToken.objects.filter(token="abcd2345").exists()


def test_the_service_administrator_can_give_a_recovery_code_on_the_server(
    client, plan_admin, authenticator
):
    out = io.StringIO()
    call_command("addstatictoken", "pat", stdout=out)
    sign_in(client, "pat")
    client.post(reverse("second_factor"), {"code": out.getvalue().strip()})
    assert client.get(ADMIN).status_code == 200


def test_the_admin_never_shows_an_authenticators_key(client, authenticator, settings):
    settings.SENDPLAN_ADMIN_SECOND_FACTOR = False
    client.force_login(User.objects.create_superuser("root", password="pw"))
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[authenticator.pk]))
    assert page.status_code == 200
    assert authenticator.key not in page.text
    qr_code = reverse("admin:otp_totp_totpdevice_qrcode", args=[authenticator.pk])
    assert client.get(qr_code).status_code == 403
    # Plan admins do not see them at all.
    client.force_login(authenticator.user)
    for listed in (
        "admin:otp_totp_totpdevice_changelist",
        "admin:otp_static_staticdevice_changelist",
    ):
        assert client.get(reverse(listed)).status_code == 403


def test_a_superuser_signed_in_by_password_is_asked_too(client, db):
    # Break-glass accounts, kept when sign-on only is set, are superusers with a password.
    User.objects.create_superuser("root", password="pw")
    sign_in(client, "root")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("second_factor"))


def test_single_sign_on_is_not_asked(client, plan_admin, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, SINGLE_SIGN_ON]
    client.force_login(plan_admin, backend=SINGLE_SIGN_ON)
    assert client.get(ADMIN).status_code == 200


def test_the_pages_outside_the_admin_are_not_asked(client, plan_admin, authenticator):
    sign_in(client, "pat")
    assert client.get(reverse("actions:strategies")).status_code == 200


def test_whom_the_admin_would_refuse_is_refused_not_asked(client, board_member):
    sign_in(client, "bola")
    assert client.get(ADMIN, follow=True).status_code == 403


def test_a_next_address_elsewhere_is_not_followed(client, plan_admin, authenticator):
    sign_in(client, "pat")
    response = client.post(
        reverse("second_factor"), {"code": code_of(authenticator), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_switched_off_the_admin_asks_nothing(client, plan_admin, settings):
    settings.SENDPLAN_ADMIN_SECOND_FACTOR = False
    sign_in(client, "pat")
    assert client.get(ADMIN).status_code == 200


def second_factor_under(**env) -> str:
    show = "from django.conf import settings; print(settings.SENDPLAN_ADMIN_SECOND_FACTOR)"
    shown = run_manage("shell", "-c", show, unset={"SENDPLAN_ADMIN_SECOND_FACTOR"}, **env)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.splitlines()[-1]


def test_production_always_asks_and_the_demo_does_not_unless_told():
    production = second_factor_under(
        DJANGO_SETTINGS_MODULE="sendplan.settings.production",
        SECRET_KEY="x" * 60,
        SENDPLAN_ADMIN_SECOND_FACTOR="false",
    )
    assert production == "True"
    assert second_factor_under(DJANGO_SETTINGS_MODULE="sendplan.settings.dev") == "False"
    tried = second_factor_under(
        DJANGO_SETTINGS_MODULE="sendplan.settings.dev", SENDPLAN_ADMIN_SECOND_FACTOR="true"
    )
    assert tried == "True"
