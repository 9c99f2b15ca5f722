"""This month's SOP 2 work for the dashboards: counts per activity kind and per operator."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from piak.penduduk.models import KoreksiData
from piak.sop.handlers import activity_kinds
from piak.sop.models import Case

from .models import BahanPenyiapan, CatatanKerja, Pemeliharaan

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


SOP2_WATCHERS = {"kasi_siak", "kabid_piak"}  # whose home page shows SOP 2's work


@dataclass(frozen=True)
class Sop2Monitoring:
    """SOP 2 at a glance for the Kasi SIAK and the Kabid."""

    open_plans: list[Case]
    per_kind: list[tuple[str, int]]  # (the kind's label, count) this month
    per_operator: list[tuple[str, int]]
    findings_frozen: int | None  # duplicates and anomalies in the latest frozen data-quality report
    findings_frozen_at: datetime | None
    corrections_since: int  # corrections made since that report


def _findings(report: BahanPenyiapan | None) -> int | None:
    if report is None:
        return None
    kept = report.ringkasan
    return sum(len(kept.get(key, [])) for key in ("nik_ganda", "kemungkinan_ganda", "keluarga_tanpa_satu_kepala"))


def sop2_monitoring(now: datetime) -> Sop2Monitoring:
    """Open plans, this month's work per kind and operator, and data-quality findings open vs corrected. The
    findings come from the latest frozen report, so the home page never runs the register-wide checks."""
    work = work_this_month(now)
    labels = {kind.kode: kind.label for kind in activity_kinds("sop-2").values()}
    report = BahanPenyiapan.objects.filter(jenis=BahanPenyiapan.Jenis.KUALITAS_DATA).order_by("-dibuat_pada").first()
    corrected = KoreksiData.objects.filter(dilakukan_pada__gte=report.dibuat_pada) if report else KoreksiData.objects
    return Sop2Monitoring(
        open_plans=list(
            Case.objects.filter(versi__kode="sop-2", status=Case.Status.BERJALAN).order_by("dimulai_pada")[:20]
        ),
        per_kind=sorted(((labels.get(k, k), n) for k, n in work["per_jenis"].items()), key=lambda r: -r[1]),
        per_operator=sorted(work["per_operator"].items(), key=lambda r: -r[1]),
        findings_frozen=_findings(report),
        findings_frozen_at=report.dibuat_pada if report else None,
        corrections_since=corrected.count(),
    )
