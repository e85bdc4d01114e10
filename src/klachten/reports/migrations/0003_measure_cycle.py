"""Improvement measures as a cycle (#16 item 2): owner, due date, status, courses, the effect
check, and the record of reminders sent about a measure.

Measures recorded before were recorded as taken: they become *done* (``uitgevoerd``), owned by
whoever recorded them, due on the day they were taken, in effect from that day, with no effect
check planned (management plans one on the measures page; nothing is reminded meanwhile, so an
upgrade mails nobody about old measures).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_measures_were_taken(apps, schema_editor):
    measure = apps.get_model("reports", "ImprovementMeasure")
    measure.objects.update(
        status="done", owner_id=models.F("recorded_by_id"), due_on=models.F("taken_on")
    )
    if schema_editor.connection.vendor == "postgresql":
        # The new owner column's foreign key is checked at commit; check it now, so the
        # ALTER TABLE below finds no pending trigger events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0007_course_trainer"),
        ("reports", "0002_root_causes_in_organisation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="improvementmeasure",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="improvement_measures",
                to=settings.AUTH_USER_MODEL,
                verbose_name="eigenaar",
            ),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="due_on",
            field=models.DateField(null=True, verbose_name="klaar op"),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="status",
            field=models.CharField(
                choices=[
                    ("planned", "gepland"),
                    ("in_progress", "in uitvoering"),
                    ("done", "uitgevoerd"),
                    ("cancelled", "vervallen"),
                ],
                default="planned",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(existing_measures_were_taken, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="improvementmeasure",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="improvement_measures",
                to=settings.AUTH_USER_MODEL,
                verbose_name="eigenaar",
            ),
        ),
        migrations.AlterField(
            model_name="improvementmeasure",
            name="due_on",
            field=models.DateField(verbose_name="klaar op"),
        ),
        migrations.AlterField(
            model_name="improvementmeasure",
            name="taken_on",
            field=models.DateField(blank=True, null=True, verbose_name="in werking sinds"),
        ),
        migrations.AlterField(
            model_name="improvementmeasure",
            name="root_causes",
            field=models.ManyToManyField(
                blank=True,
                related_name="improvement_measures",
                to="organisation.rootcause",
                verbose_name="oorzaken",
            ),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="courses",
            field=models.ManyToManyField(
                blank=True,
                related_name="improvement_measures",
                to="organisation.course",
                verbose_name="cursussen",
            ),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="check_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="effect controleren op"),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="checked_on",
            field=models.DateField(blank=True, null=True, verbose_name="effect gecontroleerd op"),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="check_method",
            field=models.TextField(blank=True, verbose_name="hoe gecontroleerd"),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="check_result",
            field=models.CharField(
                blank=True,
                choices=[("effective", "effectief"), ("not_effective", "niet effectief")],
                max_length=16,
                verbose_name="resultaat",
            ),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="check_note",
            field=models.TextField(blank=True, verbose_name="toelichting bij het resultaat"),
        ),
        migrations.AddField(
            model_name="improvementmeasure",
            name="checked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gecontroleerd door",
            ),
        ),
        migrations.AddIndex(
            model_name="improvementmeasure",
            index=models.Index(fields=["status", "due_on"], name="measure_status_due"),
        ),
        migrations.AddIndex(
            model_name="improvementmeasure",
            index=models.Index(fields=["status", "check_due_on"], name="measure_status_check"),
        ),
        migrations.CreateModel(
            name="MeasureReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("overdue", "klaar-datum verstreken"),
                            ("check_due", "effect controleren"),
                        ],
                        max_length=10,
                    ),
                ),
                ("target", models.CharField(max_length=10)),
                ("sent_at", models.DateTimeField()),
                (
                    "measure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="reports.improvementmeasure",
                    ),
                ),
            ],
            options={
                "verbose_name": "herinnering bij een maatregel",
                "verbose_name_plural": "herinneringen bij maatregelen",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("measure", "stage", "target"), name="measure_reminder_once"
                    )
                ],
            },
        ),
    ]
