"""The sign-in page, with password sign-in switchable and single sign-on when configured."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import identities, sign_in_rules, single_sign_on

SSO_FAILED = "sso-failed"
SSO_WAITS = "sign-on-waits"


class SignInView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        if not sign_in_rules.password_sign_in_on():
            raise PermissionDenied(
                "Sign-in with a password is switched off: sign in with your council account."
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        waiting = single_sign_on.waiting_identity(self.request.session)
        return {
            **super().get_context_data(**kwargs),
            "password_sign_in": settings.SENDPLAN_PASSWORD_SIGN_IN,
            # With password sign-in off, still there for the break-glass superusers.
            "password_form": sign_in_rules.password_sign_in_on(),
            "single_sign_on": single_sign_on.enabled(),
            "single_sign_on_failed": SSO_FAILED in self.request.GET,
            "sign_on_waits": waiting,
            "sign_on_waits_for_administrator": waiting
            and identities.needs_service_administrator(waiting.user),
        }


class _WhenSetUp:
    def dispatch(self, request, *args, **kwargs):
        if not single_sign_on.enabled():
            raise Http404("Single sign-on is not set up.")
        return super().dispatch(request, *args, **kwargs)


class SingleSignOnStart(_WhenSetUp, OIDCAuthenticationRequestView):
    """Sends the browser to the council's provider (with PKCE, state and nonce)."""


class SingleSignOnCallback(_WhenSetUp, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal ends on the sign-in page."""

    def login_failure(self):
        if getattr(self.request, "sign_on_waits", False):
            return HttpResponseRedirect(f"{reverse('login')}?{SSO_WAITS}")
        return HttpResponseRedirect(f"{reverse('login')}?{SSO_FAILED}")
