from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import SignInView
from actions import urls as actions_urls
from actions.views import officer
from backups.views import deleted_records
from planfile import urls as planfile_urls

admin.site.site_header = "sendplan administration"
admin.site.site_title = "sendplan"
admin.site.index_title = "Plan administration"

urlpatterns = [
    path("admin/deleted/", admin.site.admin_view(deleted_records), name="deleted_records"),
    path("admin/", admin.site.urls),
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-in/council/", include("mozilla_django_oidc.urls")),
    path("sign-in/", include("accounts.urls")),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("governance/", include("governance.urls")),
    path("rounds/", include("governance.round_urls")),
    path("public/", include("public_pages.urls")),
    path("publishing/", include("public_pages.publishing_urls")),
    path("", include("measures.urls")),
    path("reminders/", include("reminders.urls")),
    path("", officer.home, name="home"),
    # The plan file's CSV download belongs with the action list: one "actions:" namespace.
    path(
        "",
        include((actions_urls.urlpatterns + planfile_urls.urlpatterns, actions_urls.app_name)),
    ),
]
