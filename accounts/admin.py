"""Users in the admin: plan admins give roles in their own local areas; only superusers
grant anything else."""

from axes.admin import AccessAttemptAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from priorities.models import AreaMembership
from priorities.services import area_membership_delete, area_membership_save
from sendplan import roles
from sendplan.admin_site import AreaScopedInline, MissingIs404

from .admin_identities import SignOnIdentityInline
from .models import SignOnIdentity

# What a plan admin may set on a user: who they are and whether they may sign in; their
# roles are the memberships below.
_ROLE_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Access", {"fields": ("is_active",)}),
)
# A superuser's form, without groups: a group given outside an area grants nothing.
_SUPERUSER_FIELDSETS = tuple(
    (name, {**options, "fields": tuple(f for f in options["fields"] if f != "groups")})
    for name, options in UserAdmin.fieldsets
)


class AreaMembershipInline(AreaScopedInline, admin.TabularInline):
    """The roles a user holds, each in a local area. A plan admin sees and gives roles only
    in their own areas, and only to people who work nowhere else."""

    model = AreaMembership
    fk_name = "user"
    fields = ["area", "role"]
    extra = 1
    verbose_name = "role in a local area"
    verbose_name_plural = "roles, each held in one local area and acting only there"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _manages(request, obj)


def _manages(request, person) -> bool:
    return person is None or roles.can_manage_person(request.user, person)


class RoleUserAdmin(MissingIs404, UserAdmin):
    """The stock user admin for superusers; for plan admins, roles in their areas only.

    Django's own lets anyone with auth.change_user tick is_superuser, is_staff, any group
    and any permission, their own included. Fields a form does not show are not saved, so
    leaving them out of the fieldsets is the refusal. A person who also works in another
    area is shown read-only: their password, e-mail, sign-in and roles are for whoever is
    plan admin in each of their areas.
    """

    inlines = [AreaMembershipInline, SignOnIdentityInline]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        return _SUPERUSER_FIELDSETS if request.user.is_superuser else _ROLE_FIELDSETS

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # A plan admin who could set a superuser's password would be one. They see their
        # areas' people, and those with no area yet (new, waiting for a role and an area).
        shared = roles.colleagues(request.user, users, roles.MANAGING_PEOPLE).values("pk")
        areas = AreaMembership.objects.filter(user=OuterRef("pk"))
        return users.filter(is_superuser=False).filter(Q(pk__in=shared) | ~Exists(areas))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _manages(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, object_id)
        if request.method == "GET" and not _manages(request, person):
            messages.warning(request, roles.who_manages(person))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is SignOnIdentity:
            return SignOnIdentityInline.save_formset(request, formset)
        if formset.model is not AreaMembership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            area_membership_save(membership=membership, user=request.user)
        for membership in formset.deleted_objects:
            area_membership_delete(membership=membership, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # Staff (the admin) is what the plan admin role needs, and nothing else does.
            user = form.instance
            staff = user.area_memberships.filter(role__name=roles.PLAN_ADMIN).exists()
            if user.is_staff != staff:
                user.is_staff = staff
                user.save(update_fields=["is_staff"])


admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)


class AreaAccessAttemptAdmin(MissingIs404, AccessAttemptAdmin):
    """Sign-in lockouts: a plan admin sees and lifts those of their areas' people only."""

    actions = ["cleanup_expired_attempts"]

    @admin.action(description="Clean up expired attempts", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        """Delete the attempts this admin sees whose cool-off has passed. django-axes' own
        reads the sign-in's time from the request, which an admin page's lacks (a server
        error), and would delete every area's."""
        expired = self.get_queryset(request).filter(
            attempt_time__lte=timezone.now() - get_cool_off(request)
        )
        _, deleted = expired.delete()
        count = deleted.get(AccessAttempt._meta.label, 0)
        self.message_user(request, f"Cleaned up {count} expired sign-in attempts.")

    def get_queryset(self, request):
        attempts = super().get_queryset(request)
        if roles.acts_everywhere(request.user):
            return attempts
        people = roles.colleagues(request.user, User.objects.all(), roles.MANAGING_PEOPLE)
        return attempts.filter(username__in=people.values("username"))


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AreaAccessAttemptAdmin)
