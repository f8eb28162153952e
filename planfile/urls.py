"""Pages of the plan file served in the actions' URL space (sendplan/urls.py names them
"actions:", as the actions' own pages are)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/actions.csv", views.action_list_csv, name="list_csv"),
]
