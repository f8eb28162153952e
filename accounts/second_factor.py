"""A second factor for password sign-ins to the admin (django-otp): a code from an
authenticator app (TOTP), or one of ten recovery codes, each good once.

Who signed in with their council account is not asked: their provider asks its own second
factor. Everyone else who opens the admin is, break-glass accounts included: a password
kept for emergencies is what a second factor should guard.
"""

import io
import re
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from .single_sign_on import CouncilAccountBackend

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
_SINGLE_SIGN_ON = f"{CouncilAccountBackend.__module__}.{CouncilAccountBackend.__qualname__}"


class CodeRefused(Exception):
    """A code that opens nothing; the message says why, in the user's words."""


def signed_in_by_password(request) -> bool:
    # Django keeps the backend that signed the user in; the council's is single sign-on.
    return request.session.get(BACKEND_SESSION_KEY) != _SINGLE_SIGN_ON


def second_factor_asked(request) -> bool:
    """Whether the admin, which would open to this user, first asks them for a code."""
    return (
        settings.SENDPLAN_ADMIN_SECOND_FACTOR
        and admin.site.has_permission(request)
        and signed_in_by_password(request)
        and not request.user.is_verified()
    )


def authenticator_set_up_allowed(request) -> bool:
    """Setting up (or replacing) the app: whoever has one proves it first, with its code or
    a recovery code, so that a password alone cannot replace it."""
    return (
        settings.SENDPLAN_ADMIN_SECOND_FACTOR
        and admin.site.has_permission(request)
        and signed_in_by_password(request)
        and (request.user.is_verified() or authenticator(request.user) is None)
    )


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def authenticator_start(*, user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so that a
    reloaded page does not invalidate what the app has already scanned. The app in use, if
    any, works until the new one is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no image URL,
    so the Content-Security-Policy needs nothing more)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_for_typing(device: TOTPDevice) -> str:
    secret = re.search(r"secret=([A-Z2-7]+)", device.config_url).group(1)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the app that produced the code, verifies this session with it and returns
    new recovery codes, to be shown once (the old ones stop working). Raises CodeRefused."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refused = _refusal(device, "".join(code.split()))
        if refused is None:
            codes = _recovery_codes_replace(device.user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # One app at a time: a new phone's replaces the lost one's.
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            _session_verified(request, device)
    # Raised once the transaction is over: a wrong code's count of failures must be kept.
    if refused is not None:
        raise CodeRefused(refused)
    return codes


def second_factor_verify(*, request, code: str) -> Device:
    """Verifies this session with a code from the user's app or a recovery code, which is
    then used up; returns the device that took it. Raises CodeRefused."""
    code = "".join(code.split()).lower()
    if code.isdigit():
        devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(request.user, confirmed=True)
    with transaction.atomic():
        # Locked while checked: two requests cannot both use one code.
        device = devices.select_for_update().first()
        refused = _refusal(device, code)
        if refused is None:
            _session_verified(request, device)
    if refused is not None:
        raise CodeRefused(refused)
    return device


def _session_verified(request, device) -> None:
    otp_login(request, device)
    # A new session key for the session that now opens the admin, as at sign-in.
    request.session.cycle_key()


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def _refusal(device, code: str) -> str | None:
    """Why the code opens nothing, or None when it is right (and then used up)."""
    if device is None or not code:
        return "Enter the 6-digit code from your authenticator app."
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return _wait_until(why["locked_until"])
    if not device.verify_token(code):
        # django-otp counts the failure: the next try waits 1, 2, 4... seconds.
        return "That code is not right. Check your authenticator app and try again."
    return None


def _wait_until(when: datetime) -> str:
    at = timezone.localtime(when).strftime("%H:%M:%S")
    return f"Too many wrong codes. Wait until {at} (UK time) and try again."


class AdminSecondFactorMiddleware:
    """Every page of the admin, for whoever the admin would open to, asks the second factor
    first (after django_otp's OTPMiddleware, which says whether this session gave it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != admin.site.name or match.url_name == "logout":
            return None
        if not second_factor_asked(request):
            return None
        return redirect(f"{reverse('second_factor')}?next={quote(request.get_full_path())}")
