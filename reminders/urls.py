from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("rounds/", views.round_list, name="round_list"),
    path("meetings/<int:meeting_pk>/round/start/", views.round_start, name="round_start"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/chase/", views.round_chase, name="round_chase"),
]
