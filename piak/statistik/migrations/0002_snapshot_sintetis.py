from django.db import migrations, models


def mark_synthetic(apps, schema_editor):
    """Snapshots made by the generator said so only in `sumber`; record it in the flag the guards read."""
    Snapshot = apps.get_model("statistik", "Snapshot")
    Snapshot.objects.filter(sumber__asal="sintetis").update(sintetis=True)


class Migration(migrations.Migration):
    dependencies = [
        ("statistik", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="sintetis",
            field=models.BooleanField(
                default=False,
                help_text="Dibangkitkan untuk demo, bukan dari register; tidak pernah dikutip surat.",
                verbose_name="data sintetis",
            ),
        ),
        migrations.RunPython(mark_synthetic, migrations.RunPython.noop),
    ]
