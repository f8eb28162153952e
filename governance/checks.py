"""System checks of what governance needs from the database."""

from django.conf import settings
from django.core import checks
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.module_loading import import_string

# The migration that makes the packs cache's table whatever the settings.
MAKES_THE_TABLE = ("governance", "0006_packs_cache_table_whatever_the_settings")


@checks.register(checks.Tags.database, checks.Tags.caches)
def database_cache_tables_exist(app_configs, databases=None, **kwargs):
    """A database cache (CACHES["packs"]: past board packs) whose table is missing fails
    every read: say so at `migrate` and `check --database`, not as a 500 on each pack.
    Before the migration that makes it has run, migrate is about to, so nothing is said."""
    errors = []
    for database in databases or []:
        connection = connections[database]
        if MAKES_THE_TABLE not in MigrationRecorder(connection).applied_migrations():
            continue
        tables = connection.introspection.table_names()
        for alias, cache in settings.CACHES.items():
            backend = import_string(cache["BACKEND"])
            if issubclass(backend, DatabaseCache) and cache["LOCATION"] not in tables:
                errors.append(
                    checks.Error(
                        f'The table "{cache["LOCATION"]}" of the cache "{alias}" is missing '
                        f'from the database "{database}".',
                        hint="Run `manage.py createcachetable` with the settings the site "
                        "runs under.",
                        id="governance.E001",
                    )
                )
    return errors
