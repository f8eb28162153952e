from django.contrib.admin.apps import AdminConfig


class SendplanAdminConfig(AdminConfig):
    """Django's admin, on sendplan's admin site (sendplan/admin_site.py)."""

    default_site = "sendplan.admin_site.SendplanAdminSite"
