"""Users in the admin: plan admins give roles; only superusers grant anything else."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from sendplan import roles

# What a plan admin may set on a user: who they are, whether they may sign in, their role.
_ROLE_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Role", {"fields": ("is_active", "groups")}),
)


class RoleUserAdmin(UserAdmin):
    """The stock user admin for superusers; for plan admins, roles only.

    Django's own lets anyone with auth.change_user tick is_superuser, is_staff, any group
    and any permission, their own included. Fields a form does not show are not saved, so
    leaving them out of the fieldsets is the refusal.
    """

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return _ROLE_FIELDSETS

    def get_queryset(self, request):
        users = super().get_queryset(request)
        # A plan admin who could set a superuser's password would be one.
        return users if request.user.is_superuser else users.filter(is_superuser=False)

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
