"""Step 7's work log: linking register work to the case, maintenance entries, freezing at completion."""

import hashlib
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.masking import personal_text_mask
from piak.core.models import User
from piak.core.selectors import holding_for
from piak.penduduk.models import Impor, KoreksiData, Peristiwa
from piak.penduduk.selectors import data_quality_frozen
from piak.penduduk.services import penduduk_import
from piak.sop.models import Case, StepRun
from piak.sop.selectors import assignee_holds_role, may_perform
from piak.web.uploads import upload_save

from . import events
from .models import BahanPenyiapan, CatatanKerja, Pemeliharaan
from .selectors import PREPARATION_STEP, WORK_STEP, auto_candidates

ISSUES_SHOWN = 50  # a dry run's first problems kept on the case; the whole report is in the kept file


def _open_run(case: Case, step_run_id: int, user: User, step_no: int = WORK_STEP) -> StepRun:
    """The run of step `step_no` the form was shown for, still open, and `user` the one who performs it.
    Locks the case, as the engine does, so the step cannot close meanwhile."""
    case = Case.objects.select_for_update().select_related("versi").get(pk=case.pk)
    run = StepRun.objects.select_related("ditugaskan_ke").filter(pk=step_run_id, case=case).first()
    if run is None or case.status != Case.Status.BERJALAN or not run.is_open or run.langkah != step_no:
        raise DomainError(
            f"Langkah {step_no} berkas ini sudah ditutup atau berubah; catatannya tidak dapat diubah lagi. "
            "Muat ulang halaman.",
            code="siak_step_closed",
        )
    role = case.versi.definition.step(step_no).pelaksana
    today = timezone.localdate()
    holding = holding_for(user=user, role=role, on=today)
    if holding is None or not may_perform(run, holding, user, assignee_holds=assignee_holds_role(run, today)):
        raise PermissionDeniedError(
            f"Hanya pelaksana langkah {step_no} yang dapat mengisi catatan langkah ini.", code="siak_not_performer"
        )
    return run


def _already_linked(**object_filter) -> None:
    other = CatatanKerja.objects.filter(**object_filter).first()
    if other is not None:
        raise DomainError(
            f"{other.get_jenis_display()} #{other.object_id} sudah tertaut ke berkas #{other.case_id}; "
            "satu pekerjaan hanya dapat dicatat pada satu berkas.",
            code="siak_already_linked",
        )


@transaction.atomic
def kerja_tautkan(*, case: Case, step_run_id: int, user: User, jenis: str, object_id: int) -> CatatanKerja:
    """Link an import, event or correction by hand (work done outside the automatic window or by someone else)."""
    run = _open_run(case, step_run_id, user)
    models = {
        CatatanKerja.Jenis.IMPOR: (Impor, "impor"),
        CatatanKerja.Jenis.PERISTIWA: (Peristiwa, "peristiwa"),
        CatatanKerja.Jenis.KOREKSI: (KoreksiData, "koreksi"),
    }
    if jenis not in models:
        raise ValidationFailed("Jenis pekerjaan tidak dikenal.", code="siak_jenis_unknown")
    model, field = models[jenis]
    target = model.objects.filter(pk=object_id).first()
    if target is None or (model is Impor and target.status != Impor.Status.SELESAI):
        raise ValidationFailed("Pekerjaan yang dipilih tidak ada atau belum diterapkan.", code="siak_object_missing")
    _already_linked(**{field: target})
    catatan = CatatanKerja.objects.create(
        case=case,
        step_run=run,
        jenis=jenis,
        cara=CatatanKerja.Cara.MANUAL,
        ditautkan_oleh=user,
        ditautkan_pada=timezone.now(),
        **{field: target},
    )
    events.work_linked(catatan, user, linked=True)
    return catatan


@transaction.atomic
def kerja_lepas(*, catatan: CatatanKerja, user: User) -> None:
    """Unlink a manual link while step 7 is open (automatic links follow the window until completion)."""
    _open_run(catatan.case, catatan.step_run_id, user)
    if catatan.cara != CatatanKerja.Cara.MANUAL:
        raise DomainError(
            "Tautan otomatis mengikuti pekerjaan pelaksana dan tidak dapat dilepas.", code="siak_link_automatic"
        )
    events.work_linked(catatan, user, linked=False)
    catatan.delete()


@transaction.atomic
def pemeliharaan_catat(
    *, case: Case, step_run_id: int, user: User, jenis: str, uraian: str, perangkat: str, hasil: str, menit: int
) -> Pemeliharaan:
    run = _open_run(case, step_run_id, user)
    if jenis not in Pemeliharaan.Jenis.values:
        raise ValidationFailed("Jenis pemeliharaan tidak dikenal.", code="siak_jenis_unknown")
    if not (uraian.strip() and perangkat.strip() and hasil.strip()):
        raise ValidationFailed("Uraian, perangkat dan hasil wajib diisi.", code="siak_pemeliharaan_incomplete")
    if menit <= 0:
        raise ValidationFailed("Waktu pengerjaan harus lebih dari nol menit.", code="siak_menit_invalid")
    entry = Pemeliharaan.objects.create(
        case=case,
        step_run=run,
        jenis=jenis,
        uraian=uraian.strip(),
        perangkat=perangkat.strip(),
        hasil=hasil.strip(),
        menit=menit,
        dicatat_oleh=user,
        dicatat_pada=timezone.now(),
    )
    events.maintenance_recorded(entry, user)
    return entry


def kerja_bekukan(*, run: StepRun, user: User) -> list[CatatanKerja]:
    """At step 7's completion store the automatic links, so the log no longer moves with the window.
    Runs inside the engine's transaction with the case locked."""
    now = timezone.now()
    candidates = auto_candidates(run, run.case, end=now, extra=user)
    common = {"case": run.case, "step_run": run, "cara": CatatanKerja.Cara.OTOMATIS, "ditautkan_oleh": user}
    links = [CatatanKerja(jenis="impor", impor=i, ditautkan_pada=now, **common) for i in candidates.impor]
    links += [CatatanKerja(jenis="peristiwa", peristiwa=p, ditautkan_pada=now, **common) for p in candidates.peristiwa]
    links += [CatatanKerja(jenis="koreksi", koreksi=k, ditautkan_pada=now, **common) for k in candidates.koreksi]
    return CatatanKerja.objects.bulk_create(links)


# --- step 5: what the data preparation produced --------------------------------------------------


def _bahan_create(run: StepRun, user: User, jenis: str, ringkasan: dict, upload=None) -> BahanPenyiapan:
    bahan = BahanPenyiapan(
        case=run.case, step_run=run, jenis=jenis, ringkasan=ringkasan, dibuat_oleh=user, dibuat_pada=timezone.now()
    )
    if upload is not None:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        bahan.berkas_nama, bahan.berkas_sha256 = upload.name[:255], digest.hexdigest()
    bahan.save()
    events.bahan_added(bahan, user)
    return bahan


@transaction.atomic
def bahan_kualitas_data(*, case: Case, step_run_id: int, user: User) -> BahanPenyiapan:
    """Freeze a data-quality run of the register (masked figures) as step 5's report."""
    run = _open_run(case, step_run_id, user, PREPARATION_STEP)
    return _bahan_create(run, user, BahanPenyiapan.Jenis.KUALITAS_DATA, data_quality_frozen())


def bahan_uji_impor(*, case: Case, step_run_id: int, user: User, upload, encoding: str = "utf-8") -> BahanPenyiapan:
    """Check a received SIAK export with a dry-run import (read and checked against the register, nothing
    written) and keep its report. The file is read outside the case lock; the step is checked before and
    again when the result is stored."""
    with transaction.atomic():
        _open_run(case, step_run_id, user, PREPARATION_STEP)
    with tempfile.TemporaryDirectory(prefix="piak-uji-impor-") as folder:
        path = upload_save(upload, Path(folder) / f"ekspor{Path(upload.name).suffix.lower() or '.csv'}")
        result = penduduk_import(path=path, check_only=True, encoding=encoding)
    if result.file_error:
        raise ValidationFailed(f"Berkas ekspor tidak terbaca: {result.file_error}", code="siak_export_unreadable")
    ringkasan = {
        "berkas": upload.name[:255],
        "jumlah": result.totals(),
        "masalah": [
            {"baris": i.baris, "kolom": i.kolom, "tingkat": i.tingkat, "pesan": personal_text_mask(i.pesan)}
            for i in result.issues[:ISSUES_SHOWN]
        ],
    }
    with transaction.atomic():
        run = _open_run(case, step_run_id, user, PREPARATION_STEP)
        return _bahan_create(run, user, BahanPenyiapan.Jenis.UJI_IMPOR, ringkasan, upload)


@transaction.atomic
def bahan_daftar_koreksi(*, case: Case, step_run_id: int, user: User, catatan: str) -> BahanPenyiapan:
    """A list of records to correct: the duplicates and anomalies of a data-quality run of the register
    (masked), with the Staf's note of what will be corrected."""
    run = _open_run(case, step_run_id, user, PREPARATION_STEP)
    if not catatan.strip():
        raise ValidationFailed("Tuliskan data apa yang akan dikoreksi dan mengapa.", code="siak_note_required")
    frozen = data_quality_frozen()
    ringkasan = {
        "catatan": catatan.strip(),
        "kemungkinan_ganda": frozen["kemungkinan_ganda"],
        "nik_ganda": frozen["nik_ganda"],
        "keluarga_tanpa_satu_kepala": frozen["keluarga_tanpa_satu_kepala"],
    }
    return _bahan_create(run, user, BahanPenyiapan.Jenis.DAFTAR_KOREKSI, ringkasan)
