# The link between an SOP 1 case and its letter moves to the letter (naskah.Naskah.case): the engine keeps
# no field of another app. Step 1 of 3: the old field steps aside; naskah 0003 copies it; 0006 removes it.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sop", "0004_document_author_task_notices"), ("naskah", "0002_withdrawal_void_and_signing_passphrase")]

    operations = [
        migrations.RenameField("case", "naskah", "naskah_lama"),
        migrations.AlterField(
            "case",
            "naskah_lama",
            models.OneToOneField(
                "naskah.Naskah", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
            ),
        ),
    ]
