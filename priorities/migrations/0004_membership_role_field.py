import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("priorities", "0003_existing_users_keep_their_access"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="areamembership", name="area_membership_unique"),
        migrations.AddField(
            model_name="areamembership",
            name="role",
            field=models.ForeignKey(
                limit_choices_to={"name__in": ["Officer", "Board member", "Plan admin"]},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="area_memberships",
                to="auth.group",
            ),
        ),
        migrations.AddField(
            model_name="historicalareamembership",
            name="role",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"name__in": ["Officer", "Board member", "Plan admin"]},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="auth.group",
            ),
        ),
    ]
