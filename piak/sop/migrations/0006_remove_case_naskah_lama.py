# Step 3 of 3 (see 0005): the case keeps no field of the naskah app.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sop", "0005_case_naskah_lama"), ("naskah", "0003_naskah_case")]

    operations = [migrations.RemoveField("case", "naskah_lama")]
