from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from django.db.models.signals import post_migrate

        # pack_cache also renews the packs' token when a user's name changes.
        from . import pack_cache

        post_migrate.connect(pack_cache.clear_after_migrate, sender=self)
