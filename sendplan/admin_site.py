"""The admin site every model admin is registered on, with the rules no admin may forget.

Every model with an ``area_path`` is registered with its admin scoped to the local areas
where the user is a plan admin (sendplan/roles.py): lists, counts, exports, filters, every
choice of every form (whatever queryset the form set itself), autocomplete, change, delete
and history pages. Another area's object answers 404, even where the user holds another
role there.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.base import ModelBase
from django.http import Http404
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

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if hasattr(model, "area_path") and not issubclass(model_admin, AreaScopedAdmin):
                model_admin = _scoped(model_admin)
            super().register(model, model_admin, **options)

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


def within_admin_areas(user, queryset):
    """The rows of the areas where the user is a plan admin: the admin is theirs there only."""
    return roles.within_areas(user, queryset, roles.PLAN_EDITING)


def _scoped_related(user, queryset):
    """Related records the user may choose: their areas' (colleagues, for users); None when
    the related model is not kept by area."""
    if hasattr(queryset.model, "area_path"):
        return within_admin_areas(user, queryset)
    if queryset.model is get_user_model():
        return roles.colleagues(user, queryset, roles.PLAN_EDITING)
    return None


def _scoped_choices(formfield, user):
    if formfield is not None and getattr(formfield, "queryset", None) is not None:
        scoped = _scoped_related(user, formfield.queryset)
        if scoped is not None:
            formfield.queryset = scoped
    return formfield


def scoped_form(form_class, user):
    """The form, its choices scoped once it is built: a form may set a field's queryset in
    its own __init__ (every priority, say), after the admin's formfield_for_* scoped it."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        for field in self.fields.values():
            _scoped_choices(field, user)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


class AreaScopedFields:
    """Related-record choices (selects, autocompletes) of the user's areas only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_choices(formfield, request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(formfield, request.user)


class AreaScopedInline(AreaScopedFields):
    def get_queryset(self, request):
        return within_admin_areas(request.user, super().get_queryset(request))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = scoped_form(formset.form, request.user)
        return formset


class MissingIs404:
    """Django's admin redirects to its index when an object is missing; another area's
    object is missing here, and the admin says so plainly."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} here.")
        return obj


class AreaScopedAdmin(MissingIs404, AreaScopedFields):
    """An admin of a scoped model that shows and changes only the user's areas' rows."""

    def get_queryset(self, request):
        return within_admin_areas(request.user, super().get_queryset(request))

    def get_form(self, request, obj=None, **kwargs):
        return scoped_form(super().get_form(request, obj, **kwargs), request.user)

    def get_deleted_objects(self, objs, request):
        # A record kept for the audit (PROTECT) is why nobody may delete: say that, not that
        # the user lacks permission to delete it, which nobody has.
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return to_delete, counts, set() if protected else perms_needed, protected

    def history_view(self, request, object_id, extra_context=None):
        self._history_in_areas_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_in_areas_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _history_in_areas_or_404(self, request, object_id) -> None:
        # simple-history shows a deleted object's history from its last version, whoever
        # asks: a deleted object's history is shown only where the object lay.
        lookup = {self.opts.pk.attname: unquote(object_id)}
        try:
            if self.get_queryset(request).filter(**lookup).exists():
                return
            manager = getattr(self.opts, "simple_history_manager_attribute", None)
            history = getattr(self.model, manager) if manager else None
            latest = history.filter(**lookup).order_by("-history_date").first() if history else None
        except (ValueError, ValidationError):
            raise Http404 from None
        if latest is None or not roles.lay_in_areas(
            request.user, latest.instance, roles.PLAN_EDITING
        ):
            raise Http404(f"No {self.opts.verbose_name} here.")


def _scoped(model_admin):
    inlines = [
        inline if issubclass(inline, AreaScopedInline) else _scoped_inline(inline)
        for inline in model_admin.inlines
    ]
    return type(model_admin.__name__, (AreaScopedAdmin, model_admin), {"inlines": inlines})


def _scoped_inline(inline):
    return type(inline.__name__, (AreaScopedInline, inline), {})


class AreaScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter by a related record offers only the user's areas' records."""

    def field_choices(self, field, request, model_admin):
        scoped = _scoped_related(request.user, field.related_model._default_manager.all())
        if scoped is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to=Q(pk__in=scoped.values("pk")),
        )


admin.FieldListFilter.register(
    lambda field: field.remote_field, AreaScopedRelatedFilter, take_priority=True
)
