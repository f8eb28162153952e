"""Upgrading keeps everyone's access as it was: before areas were scoped every role acted
in every area, so each existing user (superusers aside, who act everywhere) is given every
existing area, with a history row saying why. Plan admins then narrow it in the admin. On a
new database there is nobody yet, and nothing is written."""

from django.db import migrations
from django.utils import timezone

REASON = "Upgrade: kept the access this user had before roles were scoped to local areas"


def keep_access(apps, schema_editor):
    User = apps.get_model("auth", "User")
    LocalArea = apps.get_model("priorities", "LocalArea")
    AreaMembership = apps.get_model("priorities", "AreaMembership")
    History = apps.get_model("priorities", "HistoricalAreaMembership")
    now = timezone.now()
    for area in LocalArea.objects.all():
        for user in User.objects.filter(is_superuser=False).exclude(area_memberships__area=area):
            membership = AreaMembership.objects.create(area=area, user=user)
            History.objects.create(
                id=membership.pk,
                area_id=area.pk,
                user_id=user.pk,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0002_area_membership"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(keep_access, migrations.RunPython.noop)]
