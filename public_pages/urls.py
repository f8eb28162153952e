"""The public pages: everything under /public/ needs no sign-in and shows only published text."""

from django.urls import path

from . import views
from .feeds import StrategyUpdatesFeed
from .views import public_cache

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("strategies/<int:pk>/", views.strategy, name="strategy"),
    path("strategies/<int:pk>/plan.csv", views.strategy_csv, name="strategy_csv"),
    path("strategies/<int:pk>/plan.json", views.strategy_json, name="strategy_json"),
    path(
        "strategies/<int:pk>/updates.atom",
        public_cache(StrategyUpdatesFeed()),
        name="strategy_feed",
    ),
]
