"""The sign-in pages beside the sign-in form: the second factor."""

from django.urls import path

from . import second_factor_views

urlpatterns = [
    path("second-factor/", second_factor_views.verify, name="second_factor"),
    path("second-factor/set-up/", second_factor_views.set_up, name="second_factor_set_up"),
]
