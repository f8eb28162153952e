"""Made the packs cache's table whatever the settings; the packs cache has gone (published
papers replaced it, docs/decisions/0019) and 0007 drops the table. Kept, empty, so that
the migrations after it still follow from it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_packs_cache_table")]

    operations = []
