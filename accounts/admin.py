"""Users in the admin: plan admins give roles and their own local areas; only superusers
grant anything else."""

from axes.admin import AccessAttemptAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from priorities.models import AreaMembership
from priorities.services import area_membership_delete, area_membership_save
from sendplan import roles
from sendplan.admin_site import AreaScopedInline, MissingIs404

from .admin_identities import SignOnIdentityInline
from .models import SignOnIdentity

# What a plan admin may set on a user: who they are, whether they may sign in, their role.
_ROLE_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Role", {"fields": ("is_active", "groups")}),
)


class AreaMembershipInline(AreaScopedInline, admin.TabularInline):
    """The local areas a user works in. A plan admin sees and gives only their own areas;
    the user's other areas are neither shown nor touched."""

    model = AreaMembership
    fk_name = "user"
    extra = 1
    verbose_name = "local area"
    verbose_name_plural = "local areas (every role acts only in these)"


class RoleUserAdmin(MissingIs404, UserAdmin):
    """The stock user admin for superusers; for plan admins, roles only.

    Django's own lets anyone with auth.change_user tick is_superuser, is_staff, any group
    and any permission, their own included. Fields a form does not show are not saved, so
    leaving them out of the fieldsets is the refusal.
    """

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return _ROLE_FIELDSETS

    inlines = [AreaMembershipInline, SignOnIdentityInline]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # A plan admin who could set a superuser's password would be one. They see their
        # areas' people, and those with no area yet (new, waiting for a role and an area).
        shared = roles.colleagues(request.user, users).values("pk")
        areas = AreaMembership.objects.filter(user=OuterRef("pk"))
        return users.filter(is_superuser=False).filter(Q(pk__in=shared) | ~Exists(areas))

    def save_formset(self, request, form, formset, change):
        if formset.model is SignOnIdentity:
            return SignOnIdentityInline.save_formset(request, formset)
        if formset.model is not AreaMembership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            area_membership_save(membership=membership, user=request.user)
        for membership in formset.deleted_objects:
            area_membership_delete(membership=membership, user=request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ROLE_PERMISSIONS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # Staff (the admin) is what the plan admin role needs, and nothing else does.
            user = form.instance
            staff = user.groups.filter(name=roles.PLAN_ADMIN).exists()
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
        people = roles.colleagues(request.user, User.objects.all())
        return attempts.filter(username__in=people.values("username"))


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AreaAccessAttemptAdmin)
