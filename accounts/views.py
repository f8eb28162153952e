"""The sign-in page, with password sign-in switchable and single sign-on when configured."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import single_sign_on

SSO_FAILED = "sso-failed"


class SignInView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        if not settings.SENDPLAN_PASSWORD_SIGN_IN:
            raise PermissionDenied(
                "Sign-in with a password is switched off: sign in with your council account."
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "password_sign_in": settings.SENDPLAN_PASSWORD_SIGN_IN,
            "single_sign_on": single_sign_on.enabled(),
            "single_sign_on_failed": SSO_FAILED in self.request.GET,
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
        return HttpResponseRedirect(f"{reverse('login')}?{SSO_FAILED}")
