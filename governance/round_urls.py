"""The update rounds' pages, in their own namespace so the menu marks them apart from the
board meetings."""

from django.urls import path

from . import round_views

app_name = "rounds"

urlpatterns = [
    path("", round_views.round_list, name="list"),
    path("meetings/<int:meeting_pk>/start/", round_views.round_start, name="start"),
    path("<int:pk>/", round_views.round_detail, name="detail"),
    path("<int:pk>/chase/", round_views.round_chase, name="chase"),
]
