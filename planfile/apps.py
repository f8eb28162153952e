from django.apps import AppConfig


class PlanfileConfig(AppConfig):
    name = "planfile"
    verbose_name = "Plan file"
