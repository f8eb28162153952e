from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .backfill import publish_past_meetings_once

        post_migrate.connect(publish_past_meetings_once, sender=self)
