"""The Lembar Kendali: a case's paper trail on one printable A4 form, for any SOP.

It shows the SOP and the case, the current document (the work plan's activities for SOP 2 and 3), every step
run in order with its outcome, its performer and capacity, its time against the step's time standard and the
document hash its paraf is bound to; then the panels the owning app adds (`SopHandler.lembar_panels`), a
space for the Kabid's wet signature, and the case hash (`case_hash`, recipe in docs/audit.md).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

from piak.core.models import Role
from piak.core.roles import KABID_PIAK
from piak.core.selectors import role_holders_on
from piak.core.waktu import waktu_wib
from piak.web.pdf import render_pdf

from .handlers import handler_for
from .models import Case, StepRun
from .rencana import plan_activities
from .selectors import TimelineEntry, case_timeline

HASH_RECIPE = (
    "Hash berkas adalah SHA-256 atas JSON kanonik (kunci berurutan, tanpa spasi, UTF-8) yang memuat nomor berkas, "
    "kode dan versi SOP, SHA-256 setiap versi dokumen, serta setiap langkah menurut urutan waktu mulai: peran, "
    "kedudukan, pelaku, hasil, catatan, tujuan pengembalian atau disposisi, hash dokumen yang diparaf, dan waktu "
    "mulai, selesai dan gugur (UTC). Auditor dapat menghitungnya ulang dari basis data; resep lengkap ada di "
    'docs/audit.md, bagian "Hash berkas (Lembar Kendali)".'
)


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def _run_record(run: StepRun) -> dict:
    return {
        "langkah": run.langkah,
        "percobaan": run.percobaan,
        "peran": run.peran_dipegang or run.peran,
        "sebagai": run.sebagai,
        "pelaku": run.pelaku.username if run.pelaku else None,
        "hasil": run.hasil,
        "catatan": run.catatan,
        "kembali_ke": run.kembali_ke,
        "disposisi_ke": run.disposisi_ke.username if run.disposisi_ke else None,
        "document_hash": run.document_hash,
        "dimulai_pada": _moment(run.dimulai_pada),
        "selesai_pada": _moment(run.selesai_pada),
        "dibatalkan_pada": _moment(run.dibatalkan_pada),
    }


def case_hash(case: Case) -> str:
    """SHA-256 of the case's canonical record: its step runs and the hashes of its document versions.

    Anyone with the database can recompute it (docs/audit.md); it changes with any step or document."""
    runs = case.step_runs.select_related("pelaku", "disposisi_ke").order_by("dimulai_pada", "id")
    record = {
        "berkas": case.pk,
        "sop": case.versi.kode,
        "versi": case.versi.nomor_versi,
        "dokumen": [[d.nomor, d.sha256] for d in case.documents.order_by("nomor")],
        "langkah": [_run_record(run) for run in runs],
    }
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Row:
    """One step run as the Lembar prints it."""

    entry: TimelineEntry
    performer: str
    role: str  # "Plt. Kabid PIAK": the capacity and the office's abbreviation of the role
    outcome: str  # what happened, with the return reason or the disposisi instruction
    opened: str
    closed: str


def _outcome(run: StepRun) -> str:
    if run.hasil == StepRun.Outcome.DIKEMBALIKAN:
        return f"Dikembalikan ke langkah {run.kembali_ke}. Alasan: {run.catatan}"
    if run.hasil == StepRun.Outcome.DISPOSISI:
        return f"Disposisi kepada {run.disposisi_ke.display_name}: “{run.catatan}”"
    if not run.hasil:
        return "Sedang berjalan"
    text = run.get_hasil_display()
    if run.dibatalkan_pada:
        text += " (gugur: dokumen dikembalikan untuk perbaikan)"
    return f"{text}. Catatan: {run.catatan}" if run.catatan else text


def _row(entry: TimelineEntry) -> Row:
    run = entry.run
    return Row(
        entry=entry,
        performer=run.pelaku.display_name if run.pelaku else "",
        role=entry.role_short,
        outcome=_outcome(run),
        opened=waktu_wib(run.dimulai_pada),
        closed=waktu_wib(run.selesai_pada),
    )


def _kabid() -> dict:
    """Who signs "Mengetahui" today: the Kabid PIAK (or whoever acts for them), else a blank to fill in."""
    holders = role_holders_on(role=KABID_PIAK, on=timezone.localdate())
    role_name = Role.objects.filter(code=KABID_PIAK).values_list("nama", flat=True).first() or "Kepala Bidang"
    if not holders:
        return {"jabatan": role_name, "nama": "", "nip": ""}
    holding = holders[0]
    return {
        "jabatan": f"{holding.capacity_prefix}{role_name}",
        "nama": holding.user.display_name,
        "nip": holding.user.nip,
    }


def lembar_context(case: Case) -> dict:
    document = case.documents.select_related("dibuat_oleh").order_by("-nomor").first()
    return {
        "case": case,
        "d": case.versi.definition,
        "document": document,
        "activities": plan_activities(case.versi.kode, document.isi if document else None),
        "rows": [_row(entry) for entry in case_timeline(case)],
        "panels": handler_for(case.versi.kode).lembar_panels(case=case),
        "kabid": _kabid(),
        "case_hash": case_hash(case),
        "hash_recipe": HASH_RECIPE,
        "opened": waktu_wib(case.dimulai_pada),
        "closed": waktu_wib(case.selesai_pada),
        "printed": waktu_wib(timezone.now()),
    }


def lembar_pdf(case: Case) -> bytes:
    return render_pdf("sop/lembar_pdf.html", lembar_context(case))


def lembar_filename(case: Case) -> str:
    return f"lembar-kendali-{case.pk}.pdf"
