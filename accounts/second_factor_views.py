"""The second factor's pages: the code asked before the admin, and setting up the app."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_static.models import StaticDevice

from . import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def _next_query(request) -> str:
    return urlencode({"next": _next(request)})


@login_required
def verify(request):
    if not second_factor.second_factor_asked(request):
        return redirect(_next(request))
    if second_factor.authenticator(request.user) is None:
        return redirect(f"{reverse('second_factor_set_up')}?{_next_query(request)}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = second_factor.second_factor_verify(
                request=request, code=form.cleaned_data["code"]
            )
        except second_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            if isinstance(device, StaticDevice):
                # A recovery code is most often used for a lost phone: offer to set up anew.
                return redirect(f"{reverse('second_factor_set_up')}?{_next_query(request)}")
            return redirect(_next(request))
    context = {"form": form, "next": _next(request)}
    return render(request, "registration/second_factor.html", context)


@login_required
def set_up(request):
    if not second_factor.authenticator_set_up_allowed(request):
        if second_factor.second_factor_asked(request):
            return redirect(f"{reverse('second_factor')}?{_next_query(request)}")
        return redirect(_next(request))
    device = second_factor.authenticator_start(user=request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = second_factor.authenticator_confirm(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except second_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            context = {"codes": codes, "next": _next(request)}
            return render(request, "registration/recovery_codes.html", context)
    context = {
        "form": form,
        "next": _next(request),
        "replacing": request.user.is_verified(),
        "qr_svg": second_factor.authenticator_qr_svg(device),
        "otpauth_url": device.config_url,
        "secret": second_factor.secret_for_typing(device),
    }
    return render(request, "registration/second_factor_set_up.html", context)
