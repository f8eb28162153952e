"""Password reset by e-mail: Django's views, in the site's own pages.

The answer is the same whether or not the address belongs to anyone. The link is built
on SENDPLAN_SITE_URL, never on the Host header the request came with, works once, and
expires after PASSWORD_RESET_TIMEOUT. With sign-on only, only the break-glass accounts,
who may still sign in with a password, are sent one.
"""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views

from .sign_in_rules import password_sign_in_allowed


class _PasswordSignIn:
    """The pages say when password sign-in is off, and to use the council account."""

    def get_context_data(self, **kwargs):
        password_sign_in = settings.SENDPLAN_PASSWORD_SIGN_IN
        return {**super().get_context_data(**kwargs), "password_sign_in": password_sign_in}


class ResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if password_sign_in_allowed(user))


class PasswordResetStart(_PasswordSignIn, auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    @property
    def extra_email_context(self):
        return {
            "site_url": settings.SENDPLAN_SITE_URL,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }


class PasswordResetSent(_PasswordSignIn, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetNew(_PasswordSignIn, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A link sent before sign-on only was set sets no password that could be used.
        if self.user is not None and not password_sign_in_allowed(self.user):
            context.update(validlink=False, form=None)
        return context

    def form_valid(self, form):
        if not password_sign_in_allowed(self.user):
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetDone(_PasswordSignIn, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
