from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and update rounds"

    def ready(self):
        # Connects the round e-mails to governance's round pages.
        from . import receivers  # noqa: F401
