from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "reminders"


def _moved(pattern_name: str):
    # The round pages' old addresses, kept for plan admins' bookmarks.
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True)


urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("rounds/", _moved("rounds:list")),
    path("meetings/<int:meeting_pk>/round/start/", _moved("rounds:start")),
    path("rounds/<int:pk>/", _moved("rounds:detail")),
]
