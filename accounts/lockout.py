"""Sign-in lockout (django-axes): the limits, what a good sign-in clears, and the page a
locked-out sign-in gets."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


def failure_limit(request, credentials=None) -> int:
    """The limit for this sign-in (django-axes calls this: AXES_FAILURE_LIMIT).

    django-axes compares one limit with the larger of the user name's failures (from any
    address) and the address's (for any user name). A council's staff usually share one
    address, so the address gets the higher limit, unless the user name's own failures
    have reached the user name's limit: then either count locks at the lower one."""
    username_failures = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(failures=Sum("failures_since_start"))["failures"]
    if (username_failures or 0) >= settings.SENDPLAN_SIGN_IN_FAILURE_LIMIT:
        return settings.SENDPLAN_SIGN_IN_FAILURE_LIMIT
    return settings.SENDPLAN_SIGN_IN_ADDRESS_FAILURE_LIMIT


class SignInLockout(AxesDatabaseHandler):
    """Failures count against the user name and against the address (settings:
    AXES_LOCKOUT_PARAMETERS). A good sign-in clears only the failures of its own user
    name from its own address: django-axes' own reset clears every failure from the
    address as well, so a sign-in to one's own account between guesses at another's
    would never let that other account lock (issue 20)."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        attempts = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )
        count, _ = attempts.delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (django-axes calls this: AXES_LOCKOUT_CALLABLE)."""
    # Each failure while locked out starts the cool-off again, so it runs from now.
    cool_off = get_cool_off(request)
    context = {
        "try_again_at": timezone.localtime() + cool_off,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
