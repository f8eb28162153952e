from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(**kwargs):
    from sendplan.roles import ensure_role_groups

    ensure_role_groups()


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public pages"

    def ready(self):
        # Now the last app in INSTALLED_APPS: by its post_migrate the public pages'
        # permissions exist, so the plan admins' group can be given them.
        post_migrate.connect(_ensure_role_groups, sender=self)
