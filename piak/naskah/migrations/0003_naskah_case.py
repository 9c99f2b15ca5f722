# Step 2 of 3 (see sop 0005): the letter names its SOP 1 case; every existing link is copied.
import django.db.models.deletion
from django.db import migrations, models


def _copy_links(apps, schema_editor):
    Case = apps.get_model("sop", "Case")
    Naskah = apps.get_model("naskah", "Naskah")
    for case_id, naskah_id in Case.objects.filter(naskah_lama__isnull=False).values_list("pk", "naskah_lama_id"):
        Naskah.objects.filter(pk=naskah_id).update(case_id=case_id)


def _copy_back(apps, schema_editor):
    Case = apps.get_model("sop", "Case")
    Naskah = apps.get_model("naskah", "Naskah")
    for naskah_id, case_id in Naskah.objects.filter(case__isnull=False).values_list("pk", "case_id"):
        Case.objects.filter(pk=case_id).update(naskah_lama_id=naskah_id)


class Migration(migrations.Migration):
    dependencies = [("naskah", "0002_withdrawal_void_and_signing_passphrase"), ("sop", "0005_case_naskah_lama")]

    operations = [
        migrations.AddField(
            "naskah",
            "case",
            models.OneToOneField(
                "sop.Case",
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="naskah",
            ),
        ),
        migrations.RunPython(_copy_links, _copy_back),
    ]
