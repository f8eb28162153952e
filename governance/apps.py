from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from django.db.models.signals import post_migrate

        # checks registers its system check; pack_cache also renews the packs' token
        # when a user's name changes.
        from . import checks, pack_cache  # noqa: F401

        post_migrate.connect(pack_cache.clear_after_migrate, sender=self)
