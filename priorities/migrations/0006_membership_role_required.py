import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("priorities", "0005_memberships_get_their_users_roles")]

    operations = [
        migrations.AlterField(
            model_name="areamembership",
            name="role",
            field=models.ForeignKey(
                limit_choices_to={"name__in": ["Officer", "Board member", "Plan admin"]},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="area_memberships",
                to="auth.group",
            ),
        ),
        migrations.AlterModelOptions(
            name="areamembership", options={"ordering": ["area__name", "role__name"]}
        ),
        migrations.AddConstraint(
            model_name="areamembership",
            constraint=models.UniqueConstraint(
                fields=("area", "user", "role"), name="area_membership_unique_role"
            ),
        ),
    ]
