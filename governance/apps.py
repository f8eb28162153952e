from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .audit import apply_history_stamp

        pre_create_historical_record.connect(apply_history_stamp)
