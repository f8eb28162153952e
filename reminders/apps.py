from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(**kwargs):
    from sendplan.roles import ensure_role_groups

    ensure_role_groups()


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and update rounds"

    def ready(self):
        # Now the last app: by its post_migrate the log's permissions exist for the roles.
        post_migrate.connect(_ensure_role_groups, sender=self)
