from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "sendplan administration"
admin.site.site_title = "sendplan"
admin.site.index_title = "Plan administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
