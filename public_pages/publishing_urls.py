"""Signed-in pages for the public texts: officers draft, plan admins approve and publish."""

from django.urls import path

from . import publishing

app_name = "publishing"

urlpatterns = [
    path("", publishing.strategy_list, name="strategies"),
    path("strategies/<int:pk>/", publishing.strategy_overview, name="strategy"),
    path("strategies/<int:pk>/publish/", publishing.strategy_publish, name="strategy_publish"),
    path("priorities/<int:pk>/", publishing.priority_text, name="priority"),
    path("actions/<int:pk>/", publishing.action_text, name="action"),
    path("measures/<int:pk>/publish/", publishing.measure_publish, name="measure_publish"),
    path("<str:kind>/<int:pk>/approve/", publishing.approve, name="approve"),
]
