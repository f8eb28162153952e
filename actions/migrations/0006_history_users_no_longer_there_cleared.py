"""Before the action and ownership history tables get their foreign key to the user back
(0006), clear the user on rows naming one who no longer exists, as Django's SET_NULL
would have done had it deleted them: the key cannot be added over such rows. Kept apart
from 0006, as PostgreSQL does not alter a table with updates pending in the transaction."""

from django.conf import settings
from django.db import migrations
from django.db.models import Exists, OuterRef


def clear_users_no_longer_there(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for name in ("HistoricalAction", "HistoricalActionOwner"):
        history = apps.get_model("actions", name)
        there = User.objects.filter(pk=OuterRef("history_user_id"))
        history.objects.filter(history_user_id__isnull=False).exclude(Exists(there)).update(
            history_user_id=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_no_index_of_deleted_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(clear_users_no_longer_there, migrations.RunPython.noop)]
