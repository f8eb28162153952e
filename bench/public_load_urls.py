"""The app's URLs plus /floor/, the least a Django page costs, for bench/public_load.py."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("floor/", floor), path("", include("sendplan.urls"))]
