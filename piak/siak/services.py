"""Step 7's work log: linking register work to the case, maintenance entries, freezing at completion."""

from django.db import transaction
from django.utils import timezone

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import User
from piak.core.selectors import holding_for
from piak.penduduk.models import Impor, Peristiwa
from piak.sop.models import Case, StepRun
from piak.sop.selectors import assignee_holds_role, may_perform

from .models import CatatanKerja, Pemeliharaan
from .selectors import WORK_STEP, auto_candidates


def _open_work_run(case: Case, step_run_id: int, user: User) -> StepRun:
    """The step-7 run the form was shown for, still open, and `user` the one who performs it."""
    case = Case.objects.select_for_update().select_related("versi").get(pk=case.pk)
    run = StepRun.objects.select_related("ditugaskan_ke").get(pk=step_run_id, case=case)
    if case.status != Case.Status.BERJALAN or not run.is_open or run.langkah != WORK_STEP:
        raise DomainError(
            "Langkah 7 berkas ini sudah ditutup; catatan kerja tidak dapat diubah lagi. Muat ulang halaman.",
            code="siak_step_closed",
        )
    role = case.versi.definition.step(WORK_STEP).pelaksana
    holding = holding_for(user=user, role=role, on=timezone.localdate())
    today = timezone.localdate()
    if holding is None or not may_perform(run, holding, user, assignee_holds=assignee_holds_role(run, today)):
        raise PermissionDeniedError(
            "Hanya pelaksana langkah 7 yang dapat mengisi catatan kerja.", code="siak_not_performer"
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
    """Link an import or event by hand (work done outside the automatic window or by someone else)."""
    run = _open_work_run(case, step_run_id, user)
    models = {CatatanKerja.Jenis.IMPOR: (Impor, "impor"), CatatanKerja.Jenis.PERISTIWA: (Peristiwa, "peristiwa")}
    if jenis not in models:
        raise ValidationFailed("Jenis pekerjaan tidak dikenal.", code="siak_jenis_unknown")
    model, field = models[jenis]
    target = model.objects.filter(pk=object_id).first()
    if target is None or (model is Impor and target.status != Impor.Status.SELESAI):
        raise ValidationFailed("Pekerjaan yang dipilih tidak ada atau belum diterapkan.", code="siak_object_missing")
    _already_linked(**{field: target})
    return CatatanKerja.objects.create(
        case=case,
        step_run=run,
        jenis=jenis,
        cara=CatatanKerja.Cara.MANUAL,
        ditautkan_oleh=user,
        ditautkan_pada=timezone.now(),
        **{field: target},
    )


@transaction.atomic
def kerja_lepas(*, catatan: CatatanKerja, user: User) -> None:
    """Unlink a manual link while step 7 is open (automatic links follow the window until completion)."""
    _open_work_run(catatan.case, catatan.step_run_id, user)
    catatan.delete()


@transaction.atomic
def pemeliharaan_catat(
    *, case: Case, step_run_id: int, user: User, jenis: str, uraian: str, perangkat: str, hasil: str, menit: int
) -> Pemeliharaan:
    run = _open_work_run(case, step_run_id, user)
    if jenis not in Pemeliharaan.Jenis.values:
        raise ValidationFailed("Jenis pemeliharaan tidak dikenal.", code="siak_jenis_unknown")
    if not (uraian.strip() and perangkat.strip() and hasil.strip()):
        raise ValidationFailed("Uraian, perangkat dan hasil wajib diisi.", code="siak_pemeliharaan_incomplete")
    if menit <= 0:
        raise ValidationFailed("Waktu pengerjaan harus lebih dari nol menit.", code="siak_menit_invalid")
    return Pemeliharaan.objects.create(
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


def kerja_bekukan(*, run: StepRun, user: User) -> list[CatatanKerja]:
    """At step 7's completion store the automatic links, so the log no longer moves with the window.
    Runs inside the engine's transaction with the case locked."""
    now = timezone.now()
    candidates = auto_candidates(run, run.case, end=now, extra=user)
    common = {"case": run.case, "step_run": run, "cara": CatatanKerja.Cara.OTOMATIS, "ditautkan_oleh": user}
    links = [CatatanKerja(jenis="impor", impor=i, ditautkan_pada=now, **common) for i in candidates.impor]
    links += [CatatanKerja(jenis="peristiwa", peristiwa=p, ditautkan_pada=now, **common) for p in candidates.peristiwa]
    return CatatanKerja.objects.bulk_create(links)
