"""The sign-in pages beside the sign-in form: the second factor and password reset."""

from django.urls import path

from . import password_reset, second_factor_views

urlpatterns = [
    path("second-factor/", second_factor_views.verify, name="second_factor"),
    path("second-factor/set-up/", second_factor_views.set_up, name="second_factor_set_up"),
    path("reset/", password_reset.PasswordResetStart.as_view(), name="password_reset"),
    path("reset/sent/", password_reset.PasswordResetSent.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        password_reset.PasswordResetNew.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", password_reset.PasswordResetDone.as_view(), name="password_reset_complete"),
]
