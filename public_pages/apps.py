from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(**kwargs):
    from sendplan.roles import ensure_role_groups

    ensure_role_groups()


class PublicConfig(AppConfig):
    name = "public_pages"
    verbose_name = "Public pages"

    def ready(self):
        # The last app whose permissions the roles name: by its post_migrate they all
        # exist, so every role group can be given its permissions.
        post_migrate.connect(_ensure_role_groups, sender=self)
