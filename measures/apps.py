from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Measures of impact"

    def ready(self):
        from actions.signals import owner_merging

        from .services import measures_move_owner

        owner_merging.connect(measures_move_owner, dispatch_uid="measures_move_owner")
