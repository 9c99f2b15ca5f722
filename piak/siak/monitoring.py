"""This month's SOP 2 work for the dashboards: counts per activity kind and per operator."""

from collections import Counter
from datetime import datetime

from django.utils import timezone

from .models import CatatanKerja, Pemeliharaan

KIND_OF_LINK = {"impor": "impor", "peristiwa": "entri_peristiwa", "koreksi": "koreksi"}


def work_this_month(now: datetime) -> dict:
    """{"per_jenis": {kind: n}, "per_operator": {display name: n}} for the calendar month (WIB) of `now`."""
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    per_kind: Counter = Counter()
    per_operator: Counter = Counter()
    links = CatatanKerja.objects.filter(ditautkan_pada__gte=start, ditautkan_pada__lte=now).select_related(
        "ditautkan_oleh"
    )
    for link in links:
        per_kind[KIND_OF_LINK[link.jenis]] += 1
        per_operator[link.ditautkan_oleh.display_name] += 1
    entries = Pemeliharaan.objects.filter(dicatat_pada__gte=start, dicatat_pada__lte=now).select_related("dicatat_oleh")
    for entry in entries:
        per_kind[entry.jenis] += 1
        per_operator[entry.dicatat_oleh.display_name] += 1
    return {"per_jenis": dict(per_kind), "per_operator": dict(per_operator)}
