"""The packs cache's table, made whatever CACHES the settings in force at migrate time
name: development settings keep no packs (a dummy cache), so 0005 made no table on a
database first migrated under them, and production's packs then failed on it."""

from django.core.management import call_command
from django.db import migrations

# CACHES["packs"]["LOCATION"] in sendplan/settings/base.py; governance.checks says when a
# database cache's table is missing.
PACKS_TABLE = "sendplan_cache"


def create_packs_table(apps, schema_editor):
    # Skips a table already there.
    call_command(
        "createcachetable", PACKS_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_packs_cache_table")]

    operations = [migrations.RunPython(create_packs_table, migrations.RunPython.noop)]
