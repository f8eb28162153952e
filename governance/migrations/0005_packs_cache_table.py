"""The table of the database caches (CACHES["packs"]: board packs of past meetings), so
that it exists wherever the schema does; createcachetable skips tables already there."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_engagements")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
