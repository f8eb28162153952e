from django.urls import path

from .views import board, officer

app_name = "actions"

urlpatterns = [
    path("actions/<int:pk>/", officer.action_detail, name="detail"),
    path("actions/<int:pk>/update/", officer.action_update, name="update"),
    path("plans/", board.strategy_list, name="strategies"),
    path("plans/<int:pk>/", board.dashboard, name="dashboard"),
    path("plans/<int:pk>/changes/", board.changes_since, name="changes"),
    path("plans/<int:pk>/actions/", board.action_list, name="list"),
]
