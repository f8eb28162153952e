"""The page a locked-out sign-in gets (django-axes calls this: AXES_LOCKOUT_CALLABLE)."""

from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone


def locked_out(request, original_response=None, credentials=None):
    # Each failure while locked out starts the cool-off again, so it runs from now.
    cool_off = get_cool_off(request)
    context = {
        "try_again_at": timezone.localtime() + cool_off,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
