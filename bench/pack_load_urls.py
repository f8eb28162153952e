"""bench/public_load.py's URLs plus /signed-in-floor/: the least a page costs a signed-in
user (the session and the user read), for bench/pack_load.py."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from bench.public_load_urls import floor
from bench.public_load_urls import urlpatterns as public_load_urlpatterns

urlpatterns = [path("signed-in-floor/", login_required(floor)), *public_load_urlpatterns]
