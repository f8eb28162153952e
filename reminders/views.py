"""Everyone's reminder settings. The update rounds' pages are governance's
(governance/round_views.py); their e-mails are sent by reminders/receivers.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .choices import Cadence
from .forms import PreferenceForm
from .selectors import cadence_of


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_save(user=request.user, cadence=form.cleaned_data["cadence"])
            messages.success(request, "Your reminder settings are saved.")
            return redirect("reminders:preferences")
    else:
        form = PreferenceForm(initial={"cadence": cadence_of(request.user)})
    return render(request, "reminders/preferences.html", {"form": form, "off": Cadence.OFF})
