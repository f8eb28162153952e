"""Upgrading keeps everyone's access as it was: a role used to act in each of the user's
areas, so each membership now carries each role the user held, with a history row saying
why. A membership of a user with no role gave nothing and is removed, recorded too. The
user's groups are left as they were; they no longer grant anything (decision 0012)."""

from django.db import migrations
from django.utils import timezone

ROLES = ["Officer", "Board member", "Plan admin"]
REASON = "Upgrade: roles are held per local area; this one carries the role the user held"
NO_ROLE = "Upgrade: roles are held per local area; this user held no role, so had none here"


def give_roles(apps, schema_editor):
    AreaMembership = apps.get_model("priorities", "AreaMembership")
    History = apps.get_model("priorities", "HistoricalAreaMembership")
    Group = apps.get_model("auth", "Group")
    now = timezone.now()

    def record(membership, kind, reason):
        History.objects.create(
            id=membership.pk,
            area_id=membership.area_id,
            user_id=membership.user_id,
            role_id=membership.role_id,
            history_date=now,
            history_type=kind,
            history_change_reason=reason,
        )

    # Each role in the order roles.py names them, so the first becomes the existing row's.
    groups = sorted(Group.objects.filter(name__in=ROLES), key=lambda group: ROLES.index(group.name))
    held = {}
    for group in groups:
        for user_id in group.user_set.values_list("pk", flat=True):
            held.setdefault(user_id, []).append(group.pk)
    for membership in AreaMembership.objects.filter(role__isnull=True).order_by("pk"):
        roles = held.get(membership.user_id, [])
        if not roles:
            record(membership, "-", NO_ROLE)
            membership.delete()
            continue
        membership.role_id = roles[0]
        membership.save(update_fields=["role"])
        record(membership, "~", REASON)
        for role_id in roles[1:]:
            extra = AreaMembership.objects.create(
                area_id=membership.area_id, user_id=membership.user_id, role_id=role_id
            )
            record(extra, "+", REASON)


class Migration(migrations.Migration):
    dependencies = [("priorities", "0004_membership_role_field")]

    operations = [migrations.RunPython(give_roles, migrations.RunPython.noop)]
