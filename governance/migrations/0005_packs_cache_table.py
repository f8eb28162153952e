"""Made the database cache's table for past meetings' board packs; the packs cache has
gone (published papers replaced it, docs/decisions/0019) and 0007 drops the table. Kept,
empty, so that the migrations after it still follow from it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_engagements")]

    operations = []
