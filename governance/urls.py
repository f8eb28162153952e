from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack.xlsx", views.meeting_pack_xlsx, name="meeting_pack_xlsx"),
    path("meetings/<int:pk>/papers/", views.papers_publish, name="papers_publish"),
    path("meetings/<int:pk>/papers/<int:version>/", views.papers_version, name="papers_version"),
    path(
        "meetings/<int:pk>/papers/<int:version>/pack.xlsx",
        views.papers_xlsx,
        name="papers_xlsx",
    ),
    path("meetings/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("engagements/", views.engagement_list, name="engagement_list"),
    path(
        "plans/<int:strategy_pk>/engagements/new/",
        views.engagement_edit,
        name="engagement_create",
    ),
    path(
        "plans/<int:strategy_pk>/engagements/<int:pk>/",
        views.engagement_edit,
        name="engagement_edit",
    ),
    path("engagements/<int:pk>/publish/", views.engagement_publish, name="engagement_publish"),
]
