from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(**kwargs):
    from sendplan.roles import ensure_role_groups

    ensure_role_groups()


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        # The last app with models in INSTALLED_APPS: by its post_migrate every permission exists.
        post_migrate.connect(_ensure_role_groups, sender=self)
