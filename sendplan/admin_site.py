"""The admin site every model admin is registered on, with the rules no admin may forget."""

from functools import wraps

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sendplan import roles

HISTORY_IS_READ_ONLY = (
    "History cannot be changed or reverted here. Change the record itself; "
    "its history keeps the old version."
)


class SendplanAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # The admin is the plan admins' (and superusers'): staff status given beyond that
        # role (a board member made staff) opens nothing, as the admin writes around the
        # pages' own checks, such as reviewing only at one's own boards' meetings.
        user = request.user
        return super().has_permission(request) and (user.is_superuser or roles.can_edit_plan(user))

    def admin_view(self, view, cacheable=False):
        # django-simple-history's per-version page saves whatever is posted to it (its
        # "Revert"), around the services; SIMPLE_HISTORY_REVERT_DISABLED only hides the
        # button. Refused here, where every admin's URLs are wrapped, so none can forget.
        if getattr(view, "__name__", "") == "history_form_view":
            view = _read_only(view)
        return super().admin_view(view, cacheable)

    def login(self, request, extra_context=None):
        # One sign-in page, with its lockout and single sign-on, for the pages and the admin.
        if request.user.is_authenticated:
            raise PermissionDenied("Your role does not use the admin.")
        index = reverse("admin:index", current_app=self.name)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)


def _read_only(view):
    @wraps(view)
    def refuse_writes(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(HISTORY_IS_READ_ONLY)
        return view(request, *args, **kwargs)

    return refuse_writes
