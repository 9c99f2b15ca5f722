"""The only module that changes SOP versions, cases and step runs.

Every public function runs in one transaction, locks the case row first, re-reads the step it acts on
inside the lock (so of two people acting on the same step, the second gets a clear error), checks who
may act, and writes exactly one audit event.
"""

import hashlib
import json
import logging
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import Role, RoleHolding, User
from piak.core.permissions import user_may
from piak.core.selectors import holding_for, roles_of_user_on
from piak.core.waktu import waktu_wib
from piak.core.worktime import WorkingCalendar, add_working_minutes, current_calendar

from . import events, notices
from .definition import Definition, Step, definition_parse, shipped_definitions
from .duties import duty_conflict
from .handlers import handler_for
from .models import Case, ComplianceExport, DocumentVersion, Notification, SopVersion, StepRun
from .rencana import activities_clean
from .selectors import assignee_holds_role, is_subordinate, may_perform, sla_status

logger = logging.getLogger(__name__)

# Who may cancel a case: the Kabid and above (a Kasi or the Admin cannot make a case disappear).
CANCEL_ROLES = {"kabid_piak", "sekretaris", "kepala_dinas"}


# --- SOP versions -------------------------------------------------------------------------------


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def sop_publish(*, yaml_text: str, user: User | None, catatan: str = "") -> SopVersion:
    """Publish a new immutable version; running cases stay on the version they started with."""
    definition = definition_parse(yaml_text)
    latest = SopVersion.objects.select_for_update().filter(kode=definition.kode).order_by("-nomor_versi").first()
    if latest is not None and latest.sha256 == _sha256_text(yaml_text):
        raise ValidationFailed("Tidak ada perubahan dibanding versi yang berlaku.", code="sop_unchanged")
    version = SopVersion.objects.create(
        kode=definition.kode,
        nomor_versi=(latest.nomor_versi + 1) if latest else 1,
        yaml_text=yaml_text,
        sha256=_sha256_text(yaml_text),
        diterbitkan_oleh=user,
        catatan=catatan,
    )
    events.sop_published(version, user)
    return version


def sop_shipped_ensure(**kwargs) -> None:
    """After migrate: publish the SOPs that ship with PIAK as version 1 where none exists yet."""
    for text in shipped_definitions().values():
        kode = definition_parse(text).kode
        if not SopVersion.objects.filter(kode=kode).exists():
            SopVersion.objects.create(
                kode=kode,
                nomor_versi=1,
                yaml_text=text,
                sha256=_sha256_text(text),
                catatan="Versi awal dari dokumen SOP asli",
            )


# --- helpers shared by the step actions -----------------------------------------------------------


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("versi").get(pk=case.pk)


def _role_name(code: str) -> str:
    return Role.objects.get(code=code).nama


def _acting_holding(*, user: User, role: str, action: str) -> RoleHolding:
    holding = holding_for(user=user, role=role, on=timezone.localdate())
    if holding is None:
        raise PermissionDeniedError(
            f"Anda tidak dapat {action}: langkah ini dilaksanakan oleh {_role_name(role)}, "
            "dan Anda tidak memegang jabatan itu hari ini.",
            code="sop_not_performer",
        )
    return holding


CLOSED_VERBS = {
    StepRun.Outcome.SELESAI: "diselesaikan",
    StepRun.Outcome.PARAF: "diparaf",
    StepRun.Outcome.DISPOSISI: "didisposisikan",
    StepRun.Outcome.DITANDATANGANI: "ditandatangani",
    StepRun.Outcome.DIKEMBALIKAN: "dikembalikan",
    StepRun.Outcome.DIBATALKAN: "dibatalkan",
}


def _what_happened(run: StepRun) -> str:
    """'Langkah 2 sudah diparaf oleh Drs. X pada 01-12-2026 09:15': what a stale form missed."""
    who = run.pelaku.display_name if run.pelaku else "sistem"
    return (
        f"Langkah {run.langkah} (percobaan {run.percobaan}) sudah {CLOSED_VERBS.get(run.hasil, 'ditutup')} "
        f"oleh {who} pada {waktu_wib(run.selesai_pada)}"
    )


def _closed_case(case: Case) -> str:
    """'Berkas ini sudah dibatalkan oleh X pada …: alasan' — what a form on a closed case missed."""
    state = case.get_status_display().lower()
    when = f" pada {waktu_wib(case.selesai_pada)}" if case.selesai_pada else ""
    if case.status == Case.Status.DIBATALKAN:
        last = case.step_runs.filter(hasil=StepRun.Outcome.DIBATALKAN).select_related("pelaku").first()
        who = f" oleh {last.pelaku.display_name}" if last and last.pelaku else ""
        return f"Berkas ini sudah {state}{who}{when}: {case.alasan_batal}. Tindakan Anda tidak dicatat."
    return f"Berkas ini sudah {state}{when}. Tindakan Anda tidak dicatat."


def _open_run_for_action(case: Case, step_run: StepRun, kinds: set[str], action: str) -> tuple[StepRun, Step]:
    """The step run the form was shown for, re-read inside the case lock, checked to be still open and of a
    kind that allows `action`: a stale or replayed form changes nothing and says who acted when."""
    if case.status != Case.Status.BERJALAN:
        raise DomainError(_closed_case(case), code="sop_case_closed")
    run = StepRun.objects.select_related("pelaku", "ditugaskan_ke").get(pk=step_run.pk, case=case)
    if not run.is_open:
        raise DomainError(
            f"{_what_happened(run)}. Tindakan Anda tidak dicatat; muat ulang halaman.", code="sop_step_closed"
        )
    step = case.versi.definition.step(run.langkah)
    if step.jenis not in kinds:
        raise DomainError(
            f"Tindakan '{action}' tidak berlaku untuk langkah {step.no} ({step.jenis_label}).",
            code="sop_wrong_action",
        )
    return run, step


def _authorise(*, user: User, run: StepRun, step: Step, action: str) -> RoleHolding:
    """The user holds the step's role today, the step is theirs to take, and separation of duties allows it."""
    holding = _acting_holding(user=user, role=step.pelaksana, action=action)
    if not may_perform(run, holding, user, assignee_holds=assignee_holds_role(run, timezone.localdate())):
        raise PermissionDeniedError(
            f"Langkah ini ditugaskan kepada {run.ditugaskan_ke.display_name}.", code="sop_assigned_to_other"
        )
    conflict = duty_conflict(user=user, run=run)
    if conflict is not None:
        raise PermissionDeniedError(conflict.message, code=conflict.code)
    return holding


def _current_document(case: Case) -> DocumentVersion | None:
    return case.documents.order_by("-nomor").first()


def _current_hash(case: Case) -> str:
    """The hash a step records: that of the document version current when the step was done."""
    document = _current_document(case)
    return document.sha256 if document else ""


def _bound_hash(case: Case, seen_hash: str | None) -> str:
    """The current document's hash (empty when there is none), which must be the one the official saw.
    `None` is an internal caller that saw no page (the demo history); a form always sends what it showed."""
    document = _current_document(case)
    current = document.sha256 if document else ""
    if seen_hash is not None and seen_hash != current:
        raise DomainError(
            f"Dokumen telah berubah sejak Anda membukanya ({_version_note(document)}). "
            "Tindakan Anda tidak dicatat; muat ulang halaman dan periksa versi terbaru.",
            code="sop_document_changed",
        )
    return current


def _version_note(document: DocumentVersion | None) -> str:
    if document is None:
        return "dokumennya tidak ada lagi"
    return f"versi {document.nomor} oleh {document.dibuat_oleh.display_name} pada {waktu_wib(document.dibuat_pada)}"


def _required_document(case: Case, seen_hash: str | None) -> str:
    if _current_document(case) is None:
        raise DomainError("Berkas ini belum mempunyai dokumen.", code="sop_no_document")
    return _bound_hash(case, seen_hash)


def step_due(start: datetime, step: Step, calendar: WorkingCalendar) -> datetime | None:
    standard = step.standard
    if standard is None:
        return None
    return add_working_minutes(start, standard.minutes(calendar.minutes_per_day()), calendar)


def _open_step(case: Case, step: Step, now: datetime, assignee: User | None = None) -> StepRun:
    """A new run of `step`, for its role (or the named official); whoever it waits for is notified by the
    caller, which knows why the step opened."""
    attempt = (case.step_runs.filter(langkah=step.no).aggregate(n=Max("percobaan"))["n"] or 0) + 1
    return StepRun.objects.create(
        case=case,
        langkah=step.no,
        percobaan=attempt,
        peran=step.pelaksana,
        ditugaskan_ke=assignee,
        dimulai_pada=now,
        tenggat=step_due(now, step, current_calendar()),
    )


def _finish(run: StepRun, *, user: User, holding: RoleHolding, outcome: str, now: datetime, **fields) -> None:
    run.selesai_pada = now
    run.pelaku = user
    run.peran_dipegang = holding.role_id
    run.sebagai = holding.capacity
    run.hasil = outcome
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()


def _advance(
    case: Case, definition: Definition, run: StepRun, now: datetime, *, actor: User, assignee: User | None = None
) -> None:
    """Open the step after `run` and tell its performer, or complete the case and tell its starter."""
    following = definition.next_step(run.langkah)
    if following is None:
        case.status = Case.Status.SELESAI
        case.selesai_pada = now
        case.save(update_fields=["status", "selesai_pada"])
        notices.case_ended(case, run, actor=actor)
        return
    notices.task_opened(_open_step(case, following, now, assignee), following, actor=actor)


# --- cases ----------------------------------------------------------------------------------------


def _upload_store(document: DocumentVersion, upload) -> str:
    """Store the upload with the document version, reading it in chunks; its SHA-256."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document.nama_berkas = upload.name
    document.berkas.save(upload.name, upload, save=False)
    return digest.hexdigest()


def _document_create(
    case: Case, user: User, *, upload=None, rencana_kerja: dict | None = None, author: User | None = None
) -> DocumentVersion:
    """A new document version. A report is the uploaded file; a work plan is its fields plus an optional
    attachment, whose name, size and SHA-256 are part of the plan, so a paraf covers both. `author` wrote it
    when that was not the uploader."""
    number = (case.documents.aggregate(n=Max("nomor"))["n"] or 0) + 1
    document = DocumentVersion(
        case=case, nomor=number, dibuat_oleh=user, disusun_oleh=author or user, nama_berkas="Rencana kerja"
    )
    file_hash = _upload_store(document, upload) if upload is not None else ""
    if rencana_kerja is None:
        document.sha256 = file_hash
    else:
        document.isi = _work_plan_clean(rencana_kerja, case.versi.kode)
        if upload is not None:
            document.isi["lampiran"] = {"nama": upload.name, "ukuran": upload.size, "sha256": file_hash}
        canonical = json.dumps(document.isi, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        document.sha256 = hashlib.sha256(canonical.encode()).hexdigest()
    document.save()
    return document


def _work_plan_clean(plan: dict, kode: str) -> dict:
    """A work plan (rencana kerja): title, activities (each with its kind, target and assignee), legal
    basis; the activities may not be empty."""
    cleaned = {
        "judul": str(plan.get("judul", "")).strip(),
        "kegiatan": activities_clean(kode, plan.get("kegiatan", [])),
        "dasar_hukum": str(plan.get("dasar_hukum", "")).strip(),
    }
    if not cleaned["judul"] or not cleaned["kegiatan"]:
        raise ValidationFailed(
            "Rencana kerja wajib mempunyai judul dan sedikitnya satu kegiatan.",
            code="sop_work_plan_incomplete",
        )
    return cleaned


def _document_input_check(definition: Definition, upload, rencana_kerja: dict | None) -> None:
    if definition.berkas == "laporan" and rencana_kerja is not None:
        raise ValidationFailed("Berkas SOP ini memuat laporan; unggah berkas laporan.", code="sop_wrong_document")
    if definition.berkas == "rencana_kerja" and upload is not None and rencana_kerja is None:
        raise ValidationFailed(
            "Berkas SOP ini memuat rencana kerja; isi formulir rencana kerja.", code="sop_wrong_document"
        )


@transaction.atomic
def case_start(*, versi: SopVersion, user: User, judul: str, upload=None, rencana_kerja: dict | None = None) -> Case:
    """Start a work-plan case (SOP 2, SOP 3) on `versi`. A report with its letter (SOP 1) starts only from
    a data request, so that what is signed is the letter PIAK drafted and numbers."""
    if versi.definition.berkas == "laporan":
        raise DomainError(
            "SOP ini dimulai dari Permintaan Data: catat permintaan instansi, lalu tekan "
            "“Susun laporan dan surat, mulai SOP 1”.",
            code="sop_start_from_request",
        )
    return case_open(versi=versi, user=user, judul=judul, upload=upload, rencana_kerja=rencana_kerja)


def case_starter_check(*, versi: SopVersion, user: User, action: str = "memulai berkas SOP ini") -> RoleHolding:
    """The holding in which the user may start a case of this SOP (its step 1's performer role)."""
    return _acting_holding(user=user, role=versi.definition.step(1).pelaksana, action=action)


def case_open(
    *, versi: SopVersion, user: User, judul: str, upload=None, rencana_kerja: dict | None = None, author=None
) -> Case:
    """A new case whose step 1 is assigned to its starter, who performs it. The app that owns an SOP's work
    calls this from its own start paths (e.g. SOP 1 from a data request) inside its transaction."""
    definition = versi.definition
    first = definition.step(1)
    holding = case_starter_check(versi=versi, user=user)
    if not judul.strip():
        raise ValidationFailed("Judul berkas wajib diisi.", code="sop_title_required")
    _document_input_check(definition, upload, rencana_kerja)
    now = timezone.now()
    case = Case.objects.create(versi=versi, judul=judul.strip(), dimulai_oleh=user, dimulai_pada=now)
    document = None
    if upload is not None or rencana_kerja is not None:
        document = _document_create(case, user, upload=upload, rencana_kerja=rencana_kerja, author=author)
    _open_step(case, first, now, assignee=user)
    events.case_started(case, user, holding, document)
    return case


@transaction.atomic
def document_add(
    *, case: Case, user: User, upload=None, rencana_kerja: dict | None = None, step_run: StepRun | None = None
) -> DocumentVersion:
    """A new version of the case's document, by the performer of the open work step (after a return too);
    `step_run` is the step the form was shown for."""
    case = _lock(case)
    run = step_run or case.step_runs.filter(selesai_pada__isnull=True).first()
    if run is None:
        raise DomainError("Berkas ini tidak mempunyai langkah yang terbuka.", code="sop_case_closed")
    run, step = _open_run_for_action(case, run, {"kerja"}, "mengunggah dokumen")
    holding = _authorise(user=user, run=run, step=step, action="mengunggah dokumen")
    author = None
    if (supplied := handler_for(case.versi.kode).document_revision(case=case)) is not None:
        upload, author = supplied
    if upload is None and rencana_kerja is None:
        raise ValidationFailed("Pilih berkas atau isi rencana kerja.", code="sop_document_missing")
    _document_input_check(case.versi.definition, upload, rencana_kerja)
    document = _document_create(case, user, upload=upload, rencana_kerja=rencana_kerja, author=author)
    events.document_added(document, user, holding)
    return document


def _refuse_stale_case(case: Case, seen_run_id: int | None) -> None:
    """A cancel form names the step that was open when it was shown; if the case moved on, nothing changes."""
    if seen_run_id is None:
        return
    open_now = case.step_runs.filter(selesai_pada__isnull=True).values_list("pk", flat=True).first()
    if open_now != seen_run_id:
        seen = StepRun.objects.select_related("pelaku").filter(pk=seen_run_id, case=case).first()
        happened = _what_happened(seen) if seen is not None and not seen.is_open else "Berkas telah berubah"
        raise DomainError(
            f"{happened} sejak halaman ini dibuka. Pembatalan tidak dicatat; muat ulang halaman.",
            code="sop_case_changed",
        )


def _canceller_holding(user: User) -> RoleHolding:
    today = timezone.localdate()
    holding = next((h for h in roles_of_user_on(user=user, on=today) if h.role_id in CANCEL_ROLES), None)
    if holding is None:
        raise PermissionDeniedError(
            "Hanya Kepala Bidang PIAK, Sekretaris atau Kepala Dinas (atau Plt/Plh-nya) yang dapat membatalkan berkas.",
            code="sop_cancel_forbidden",
        )
    return holding


@transaction.atomic
def case_cancel(*, case: Case, user: User, reason: str, seen_run_id: int | None = None) -> Case:
    """Stop a running case (Kabid and above); a draft letter is withdrawn with it, a signed one must be
    withdrawn first. `seen_run_id` is the step that was open on the page the official cancelled from."""
    case = _lock(case)
    if case.status != Case.Status.BERJALAN:
        raise DomainError(_closed_case(case), code="sop_case_closed")
    holding = _canceller_holding(user)
    _refuse_stale_case(case, seen_run_id)
    if not reason.strip():
        raise ValidationFailed("Alasan pembatalan wajib diisi.", code="sop_reason_required")
    handler = handler_for(case.versi.kode)
    handler.case_cancel_check(case=case)
    now = timezone.now()
    run = case.step_runs.filter(selesai_pada__isnull=True).first()
    if run is not None:
        run.selesai_pada, run.hasil, run.catatan, run.pelaku = (
            now,
            StepRun.Outcome.DIBATALKAN,
            reason.strip(),
            user,
        )
        run.save(update_fields=["selesai_pada", "hasil", "catatan", "pelaku"])
    case.status, case.selesai_pada, case.alasan_batal = Case.Status.DIBATALKAN, now, reason.strip()
    case.save(update_fields=["status", "selesai_pada", "alasan_batal"])
    events.case_cancelled(case, user, holding, reason.strip())
    handler.case_cancelled(case=case, user=user, reason=reason.strip())
    if run is not None:
        notices.case_ended(case, run, actor=user)
    return case


# --- step actions ---------------------------------------------------------------------------------


@transaction.atomic
def step_complete(
    *, step_run: StepRun, user: User, checklist: list[str], catatan: str = "", document_hash: str | None = None
) -> StepRun:
    """Finish a work step: every kelengkapan item ticked and, where required, a document present."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"kerja"}, "menyelesaikan langkah")
    holding = _authorise(user=user, run=run, step=step, action="menyelesaikan langkah ini")
    bound = _bound_hash(case, document_hash)
    missing = [item for item in step.checklist if item not in checklist]
    if missing:
        raise ValidationFailed(f"Kelengkapan belum dicentang: {', '.join(missing)}.", code="sop_checklist_incomplete")
    if step.wajib_lampiran and not bound:
        raise ValidationFailed(
            "Langkah ini mensyaratkan dokumen terlampir; unggah dulu dokumennya.",
            code="sop_attachment_missing",
        )
    handler = handler_for(case.versi.kode)
    handler.step_complete_check(run=run, step=step, user=user)
    now = timezone.now()
    _finish(
        run,
        user=user,
        holding=holding,
        outcome=StepRun.Outcome.SELESAI,
        now=now,
        checklist=list(step.checklist),
        catatan=catatan.strip(),
        document_hash=bound,
    )
    handler.step_completed(run=run, step=step, user=user)  # the run is closed: its work window is final
    events.step_event(events.STEP_COMPLETED, run, user, holding, catatan=run.catatan)
    _advance(case, case.versi.definition, run, now, actor=user)
    return run


@transaction.atomic
def _approve(
    *, step_run: StepRun, user: User, document_hash: str | None, kind: str, catatan: str = "", passphrase: str = ""
) -> StepRun:
    """Paraf or signature: bound to the document version the official saw, within separation of duties."""
    words = {
        "paraf": ("paraf", "memberi paraf", StepRun.Outcome.PARAF, events.STEP_PARAF),
        "tanda_tangan": ("tanda tangan", "menandatangani", StepRun.Outcome.DITANDATANGANI, events.STEP_SIGNED),
    }[kind]
    action, authorise_as, outcome, event = words
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {kind}, action)
    holding = _authorise(user=user, run=run, step=step, action=authorise_as)
    bound = _required_document(case, document_hash)
    handler_for(case.versi.kode).step_approved(
        run=run, step=step, user=user, kind=kind, document_hash=bound, passphrase=passphrase
    )
    now = timezone.now()
    _finish(run, user=user, holding=holding, outcome=outcome, now=now, document_hash=bound, catatan=catatan.strip())
    events.step_event(event, run, user, holding)
    _advance(case, case.versi.definition, run, now, actor=user)
    return run


def step_paraf(*, step_run: StepRun, user: User, document_hash: str | None, catatan: str = "") -> StepRun:
    """Initial the exact document version the official saw (its SHA-256)."""
    return _approve(step_run=step_run, user=user, document_hash=document_hash, kind="paraf", catatan=catatan)


def step_sign(*, step_run: StepRun, user: User, document_hash: str | None, passphrase: str) -> StepRun:
    """Sign the document version the official saw; the SOP's handler signs what it owns (SOP 1 numbers and
    signs its letter, PAdES, with the signer's passphrase), outside _approve's transaction where it must
    record a failure that the rollback would undo."""
    return handler_for(step_run.case.versi.kode).signing(
        lambda: _approve(
            step_run=step_run, user=user, document_hash=document_hash, kind="tanda_tangan", passphrase=passphrase
        )
    )


@transaction.atomic
def step_return(
    *, step_run: StepRun, user: User, to_step: int, reason: str, document_hash: str | None = None
) -> StepRun:
    """Send the document back to an allowed earlier step; paraf given since then become invalid. The
    reopened step belongs to whoever holds its role then, not to whoever did it before."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"kerja", "paraf", "disposisi", "tanda_tangan"}, "kembalikan")
    holding = _authorise(user=user, run=run, step=step, action="mengembalikan dokumen")
    bound = _bound_hash(case, document_hash)
    if to_step not in step.kembali_ke:
        allowed = ", ".join(str(n) for n in step.kembali_ke) or "tidak ada"
        raise DomainError(
            f"Langkah {step.no} hanya dapat dikembalikan ke langkah: {allowed}.",
            code="sop_return_not_allowed",
        )
    if not reason.strip():
        raise ValidationFailed("Alasan pengembalian wajib diisi.", code="sop_reason_required")
    now = timezone.now()
    _finish(
        run,
        user=user,
        holding=holding,
        outcome=StepRun.Outcome.DIKEMBALIKAN,
        now=now,
        kembali_ke=to_step,
        catatan=reason.strip(),
        document_hash=bound,
    )
    invalidated = case.step_runs.filter(
        langkah__gte=to_step,
        hasil__in=[StepRun.Outcome.PARAF, StepRun.Outcome.DITANDATANGANI],
        dibatalkan_pada__isnull=True,
    ).update(dibatalkan_pada=now)
    target = case.versi.definition.step(to_step)
    reopened = _open_step(case, target, now)
    events.step_event(
        events.STEP_RETURNED,
        run,
        user,
        holding,
        ke_langkah=to_step,
        alasan=run.catatan,
        paraf_gugur=invalidated,
    )
    notices.work_returned(reopened, target, actor=user, reason=run.catatan)
    return run


def _refuse_non_performer(kepada: User, following: Step | None, user_role: str) -> None:
    """The named official must be a subordinate and, where a step follows, able to perform it."""
    today = timezone.localdate()
    if not is_subordinate(kepada, user_role, today):
        raise ValidationFailed(
            f"{kepada.display_name} bukan bawahan yang dapat menerima disposisi Anda.",
            code="sop_not_subordinate",
        )
    if following is not None and holding_for(user=kepada, role=following.pelaksana, on=today) is None:
        raise ValidationFailed(
            f"{kepada.display_name} tidak memegang jabatan {_role_name(following.pelaksana)} hari ini, sehingga "
            f"tidak dapat melaksanakan langkah {following.no} ({following.aktivitas}). Pilih pelaksana langkah itu.",
            code="sop_disposisi_not_performer",
        )


@transaction.atomic
def step_disposisi(
    *, step_run: StepRun, user: User, instruksi: str, kepada: User, document_hash: str | None = None
) -> StepRun:
    """A written instruction to a named subordinate, who is given the next step and told of it."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"disposisi"}, "disposisi")
    holding = _authorise(user=user, run=run, step=step, action="memberi disposisi")
    bound = _bound_hash(case, document_hash)
    if not instruksi.strip():
        raise ValidationFailed("Isi disposisi wajib diisi.", code="sop_instruction_required")
    definition = case.versi.definition
    following = definition.next_step(run.langkah)
    _refuse_non_performer(kepada, following, step.pelaksana)
    now = timezone.now()
    _finish(
        run,
        user=user,
        holding=holding,
        outcome=StepRun.Outcome.DISPOSISI,
        now=now,
        catatan=instruksi.strip(),
        disposisi_ke=kepada,
        document_hash=bound,
    )
    events.step_event(events.STEP_DISPOSISI, run, user, holding, kepada=kepada.username, instruksi=run.catatan)
    _advance(case, definition, run, now, actor=user, assignee=kepada if following else None)
    if following is None:
        notices.notify_once(
            run,
            notices.Level.TUGAS,
            [kepada],
            f"Disposisi dari {user.display_name} pada berkas \u201c{case.judul}\u201d: {run.catatan}",
        )
    return run


# --- time standards -------------------------------------------------------------------------------


@transaction.atomic
def sla_scan(*, now: datetime | None = None) -> dict[str, int]:
    """Warn performers at 80 % of a step's standard and alert their superior when it is overdue."""
    now = now or timezone.now()
    calendar = current_calendar()
    counts = {"peringatan": 0, "terlambat": 0}
    open_runs = StepRun.objects.filter(
        selesai_pada__isnull=True, tenggat__isnull=False, case__status=Case.Status.BERJALAN
    ).select_related("case__versi", "ditugaskan_ke")
    for run in open_runs:
        definition = run.case.versi.definition
        step = definition.step(run.langkah)
        status = sla_status(run, step, calendar, now)
        levels = {"peringatan": ["peringatan"], "terlambat": ["peringatan", "terlambat"]}.get(status.state, [])
        for level in levels:
            told = notices.notify_once(
                run, level, notices.sla_recipients(run, level, definition), notices.sla_text(run, level, step)
            )
            if told:
                counts[level] += len(told)
                events.sla_notice(run, level, [u.username for u in told])
    return counts


@transaction.atomic
def notification_read(*, notification: Notification, user: User) -> None:
    if notification.user_id != user.pk:
        raise PermissionDeniedError("Pemberitahuan ini bukan milik Anda.", code="notification_not_yours")
    Notification.objects.filter(pk=notification.pk, dibaca_pada__isnull=True).update(dibaca_pada=timezone.now())


# --- compliance report ------------------------------------------------------------------------------


@transaction.atomic
def compliance_pdf_request(*, awal: date, akhir: date, user: User) -> ComplianceExport:
    """Queue the period's compliance report PDF for the worker (a year's cases take minutes to lay out)."""
    from .monitoring import cases_started_between
    from .permissions import SOP_MONITOR
    from .tasks import compliance_pdf_task

    if not user_may(user, SOP_MONITOR):
        raise PermissionDeniedError("Laporan kepatuhan hanya untuk pimpinan.", code="sop_not_monitor")
    export = ComplianceExport.objects.create(
        awal=awal, akhir=akhir, diminta_oleh=user, jumlah_berkas=cases_started_between(awal, akhir).count()
    )
    events.compliance_requested(export, user)
    transaction.on_commit(lambda: compliance_pdf_task.enqueue(export.pk))
    return export


def compliance_pdf_build(*, export_id: int) -> ComplianceExport:
    """Render a queued report; a failure is kept on the export with its reason, never lost silently."""
    from .monitoring import compliance_report
    from .report import compliance_pdf

    export = ComplianceExport.objects.get(pk=export_id)
    ComplianceExport.objects.filter(pk=export.pk).update(status=ComplianceExport.Status.BERJALAN)
    name = f"kepatuhan-sop-{export.awal:%Y%m%d}-{export.akhir:%Y%m%d}.pdf"
    try:
        pdf = compliance_pdf(compliance_report(awal=export.awal, akhir=export.akhir))
        export.berkas.save(name, ContentFile(pdf), save=False)
    except Exception:  # the office must see that it failed; the worker stays up and the details go to the log
        logger.exception("compliance report %s failed", export.pk)
        export.status = ComplianceExport.Status.GAGAL
        export.pesan = "Laporan gagal disusun karena gangguan pada server; rinciannya tercatat di log sistem."
    else:
        export.status = ComplianceExport.Status.SELESAI
    export.selesai_pada = timezone.now()
    export.save()
    return export
