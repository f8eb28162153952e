"""How long a signed-in session lasts: an idle time-out, an absolute one from signing in,
and a single sign-on re-checked with the provider so that a leaver disabled there is out."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from mozilla_django_oidc.middleware import SessionRefresh

from . import single_sign_on

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# The last page's time is written at most this often, not a session save on every page.
SEEN_EVERY_SECONDS = 60


def note_sign_in(sender, request, user, **kwargs):
    """On user_logged_in: the absolute time-out runs from here."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def _why_ended(session) -> str:
    """Why this session is over, or "" while it lasts (noting that it was used now)."""
    now = time.time()
    # A session from before these time-outs starts its clocks now.
    signed_in = session.setdefault(SIGNED_IN_AT, now)
    last_seen = session.setdefault(LAST_SEEN_AT, now)
    hours = settings.SENDPLAN_SESSION_HOURS
    minutes = settings.SENDPLAN_IDLE_TIMEOUT_MINUTES
    if now - signed_in > hours * 60 * 60:
        return f"You were signed out {hours} hours after signing in. Sign in again."
    if now - last_seen > minutes * 60:
        return f"You were signed out after {minutes} minutes without using sendplan."
    if now - last_seen >= SEEN_EVERY_SECONDS:
        session[LAST_SEEN_AT] = now
    return ""


class SessionTimeouts:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            why = _why_ended(request.session)
            if why:
                logout(request)
                messages.info(request, why)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ProviderRecheck(SessionRefresh):
    """mozilla-django-oidc's SessionRefresh: once OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS have
    passed since a single sign-on, the next page asks the provider again without a prompt;
    a refusal there (a disabled account) signs the person out. Password sign-ins are left
    alone."""

    def process_request(self, request):
        if not single_sign_on.enabled():
            return None
        # The provider's settings as they are now, as the sign-in page reads them.
        super().__init__(self.get_response)
        return super().process_request(request)
