from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from . import pack_cache  # noqa: F401 (renews the packs' token when a user's name changes)
