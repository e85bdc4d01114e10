"""Admins read complaints only when they are management too (#15, item 5; R2).

Until now every admin saw every complaint; the admins there are keep that (they were told of
every new complaint, and the first account of an installation is one), so nothing changes
for anyone by upgrading. New admins are admins only unless made management too.
"""

from django.db import migrations, models


def admins_keep_what_they_had(apps, schema_editor):
    Staff = apps.get_model("accounts", "Staff")
    Staff.objects.filter(role="admin").update(also_management=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_security_mfa_sso"),
    ]

    operations = [
        migrations.AddField(
            model_name="staff",
            name="also_management",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Alleen voor een beheerder: ziet en behandelt ook alle meldingen, zoals de "
                    "directie, en hoort van elke nieuwe melding."
                ),
                verbose_name="ook directie",
            ),
        ),
        migrations.RunPython(admins_keep_what_they_had, migrations.RunPython.noop),
    ]
