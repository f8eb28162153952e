from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _ensure_role_groups(**kwargs):
    from sendplan.roles import ensure_role_groups

    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self):
        # The role groups follow sendplan/roles.py after every migrate. Django sends
        # post_migrate to each app with models in INSTALLED_APPS order, and to each receiver
        # in the order connected: after the last app's, and after auth (whose ready() came
        # before this one) has created that app's permissions, every permission exists.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(_ensure_role_groups, sender=last)

        from . import sessions, single_sign_on

        user_logged_in.connect(sessions.note_sign_in)
        user_logged_in.connect(single_sign_on.link_after_password)
