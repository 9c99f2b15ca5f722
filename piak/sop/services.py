"""The only module that changes SOP versions, cases and step runs.

Every public function runs in one transaction, locks the case row first, re-reads the step it acts on
inside the lock (so of two people acting on the same step, the second gets a clear error), checks who
may act, and writes exactly one audit event.
"""

import hashlib
import json
import logging
import smtplib
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import Role, RoleHolding, User
from piak.core.permissions import user_may
from piak.core.selectors import holding_for, role_holders_on, roles_of_user_on
from piak.core.worktime import WorkingCalendar, add_working_minutes, current_calendar
from piak.naskah.models import Naskah, PermintaanData
from piak.naskah.services import BerkasLampiran, SnapshotRef, naskah_archive, naskah_draft, naskah_sign

from . import events
from .definition import Definition, Step, definition_parse, shipped_definitions
from .models import Case, ComplianceExport, DocumentVersion, Notification, SopVersion, StepRun
from .selectors import may_perform, sla_status

logger = logging.getLogger(__name__)

# Seniority used to decide who is a subordinate for a disposisi (higher number = more senior).
RANK = {
    "staf": 1,
    "kasi_ppd": 2,
    "kasi_siak": 2,
    "kasi_tksdm_tik": 2,
    "kabid_piak": 3,
    "sekretaris": 4,
    "kepala_dinas": 5,
}
CANCEL_ROLES = {"kabid_piak", "kepala_dinas", "admin"}


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


def _open_run_for_action(case: Case, step_run: StepRun, kinds: set[str], action: str) -> tuple[StepRun, Step]:
    """The step run, re-read inside the case lock, checked to be open and of a kind that allows `action`."""
    if case.status != Case.Status.BERJALAN:
        raise DomainError(f"Berkas ini sudah {case.get_status_display().lower()}.", code="sop_case_closed")
    run = StepRun.objects.select_related("pelaku").get(pk=step_run.pk, case=case)
    if not run.is_open:
        who = run.pelaku.display_name if run.pelaku else "sistem"
        raise DomainError(
            f"Langkah {run.langkah} sudah ditangani oleh {who} pada "
            f"{timezone.localtime(run.selesai_pada):%d-%m-%Y %H:%M}. Muat ulang halaman.",
            code="sop_step_closed",
        )
    step = case.versi.definition.step(run.langkah)
    if step.jenis not in kinds:
        raise DomainError(
            f"Tindakan '{action}' tidak berlaku untuk langkah {step.no} ({step.jenis_label}).",
            code="sop_wrong_action",
        )
    return run, step


def _authorise(*, user: User, run: StepRun, step: Step, action: str) -> RoleHolding:
    holding = _acting_holding(user=user, role=step.pelaksana, action=action)
    if not may_perform(run, holding, user):
        raise PermissionDeniedError(
            f"Langkah ini ditugaskan kepada {run.ditugaskan_ke.display_name}.", code="sop_assigned_to_other"
        )
    return holding


def _refuse_own_draft(case: Case, user: User, action: str) -> None:
    drafters = set(case.documents.values_list("dibuat_oleh_id", flat=True)) | {case.dimulai_oleh_id}
    if user.pk in drafters:
        raise PermissionDeniedError(
            f"Anda tidak boleh {action} dokumen yang Anda susun sendiri.", code="sop_self_approval"
        )


def _current_document(case: Case) -> DocumentVersion | None:
    return case.documents.order_by("-nomor").first()


def _current_hash(case: Case) -> str:
    """The hash a step records: that of the document version current when the step was done."""
    document = _current_document(case)
    return document.sha256 if document else ""


def _bound_hash(case: Case, seen_hash: str) -> str:
    """The current document's hash, which must be the one the official saw."""
    document = _current_document(case)
    if document is None:
        raise DomainError("Berkas ini belum mempunyai dokumen.", code="sop_no_document")
    if seen_hash != document.sha256:
        raise DomainError(
            "Dokumen telah berubah sejak Anda membukanya. Muat ulang halaman dan periksa versi terbaru.",
            code="sop_document_changed",
        )
    return document.sha256


def _due(start: datetime, step: Step, calendar: WorkingCalendar) -> datetime | None:
    standard = step.standard
    if standard is None:
        return None
    return add_working_minutes(start, standard.minutes(calendar.minutes_per_day()), calendar)


def _open_step(case: Case, step: Step, now: datetime, assignee: User | None = None) -> StepRun:
    attempt = (case.step_runs.filter(langkah=step.no).aggregate(n=Max("percobaan"))["n"] or 0) + 1
    return StepRun.objects.create(
        case=case,
        langkah=step.no,
        percobaan=attempt,
        peran=step.pelaksana,
        ditugaskan_ke=assignee,
        dimulai_pada=now,
        tenggat=_due(now, step, current_calendar()),
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


def _advance(case: Case, definition: Definition, run: StepRun, now: datetime, assignee: User | None = None) -> None:
    """Open the step after `run`, or complete the case when it was the last one."""
    following = definition.next_step(run.langkah)
    if following is None:
        case.status = Case.Status.SELESAI
        case.selesai_pada = now
        case.save(update_fields=["status", "selesai_pada"])
        return
    _open_step(case, following, now, assignee)


# --- cases ----------------------------------------------------------------------------------------


def _document_create(case: Case, user: User, *, upload=None, rencana_kerja: dict | None = None) -> DocumentVersion:
    """A new document version. A report is the uploaded file; a work plan is its fields plus an optional
    attachment, hashed together so a paraf covers both."""
    number = (case.documents.aggregate(n=Max("nomor"))["n"] or 0) + 1
    document = DocumentVersion(case=case, nomor=number, dibuat_oleh=user)
    content = upload.read() if upload is not None else b""
    digest = hashlib.sha256(content)
    if rencana_kerja is not None:
        document.isi = _work_plan_clean(rencana_kerja)
        canonical = json.dumps(document.isi, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode() + (hashlib.sha256(content).digest() if upload else b""))
    document.sha256 = digest.hexdigest()
    document.nama_berkas = upload.name if upload is not None else "Rencana kerja"
    if upload is not None:
        document.berkas.save(upload.name, ContentFile(content), save=False)
    document.save()
    return document


def _work_plan_clean(plan: dict) -> dict:
    """A work plan (rencana kerja): title, activities, legal basis; the activities may not be empty."""
    cleaned = {
        "judul": str(plan.get("judul", "")).strip(),
        "kegiatan": [a.strip() for a in plan.get("kegiatan", []) if a and a.strip()],
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
    """Start a case on `versi`; the starter performs step 1, so step 1 is assigned to them."""
    definition = versi.definition
    first = definition.step(1)
    holding = _acting_holding(user=user, role=first.pelaksana, action="memulai berkas SOP ini")
    if not judul.strip():
        raise ValidationFailed("Judul berkas wajib diisi.", code="sop_title_required")
    _document_input_check(definition, upload, rencana_kerja)
    now = timezone.now()
    case = Case.objects.create(versi=versi, judul=judul.strip(), dimulai_oleh=user, dimulai_pada=now)
    document = None
    if upload is not None or rencana_kerja is not None:
        document = _document_create(case, user, upload=upload, rencana_kerja=rencana_kerja)
    _open_step(case, first, now, assignee=user)
    events.case_started(case, user, holding, document)
    return case


SOP_LAPORAN = "sop-1"
DELIVERED = {Naskah.Status.DIKIRIM, Naskah.Status.DITERIMA, Naskah.Status.DIARSIPKAN}


def _latest_version(kode: str) -> SopVersion:
    return SopVersion.objects.filter(kode=kode).order_by("-nomor_versi").first()


def _naskah_draft_file(naskah: Naskah) -> ContentFile:
    draft = naskah.versi_terakhir
    with draft.berkas.open("rb") as handle:
        return ContentFile(handle.read(), name=f"surat-pengantar-draf-v{draft.nomor_versi}.pdf")


@transaction.atomic
def case_start_for_naskah(*, naskah: Naskah, user: User) -> Case:
    """Start SOP 1 for a drafted Surat Pengantar: the draft letter (with the report attached) is the
    document every paraf and the signature are bound to."""
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    if naskah.status != Naskah.Status.DRAF:
        raise DomainError("Hanya draf surat yang dapat dimulai dalam SOP 1.", code="sop_naskah_not_draft")
    if Case.objects.filter(naskah=naskah).exists():
        raise DomainError("Surat ini sudah berjalan dalam SOP 1.", code="sop_naskah_has_case")
    versi = _latest_version(SOP_LAPORAN)
    case = case_start(
        versi=versi,
        user=user,
        judul=f"{naskah.perihal} — {naskah.permintaan.instansi}",
        upload=_naskah_draft_file(naskah),
    )
    case.naskah = naskah
    case.save(update_fields=["naskah"])
    return case


def _snapshot_for(permintaan: PermintaanData, user: User, chosen, new_snapshot: bool):
    """The snapshot the report is computed from (reports never read live data): the Kasi's choice, checked
    against the request; a new one frozen from the register; by default the newest register snapshot at the
    requested date, frozen now if there is none. Synthetic snapshots are never picked nor accepted."""
    from piak.statistik.selectors import real_snapshots_at
    from piak.statistik.services import snapshot_freeze_register

    cutoff = permintaan.tanggal_data
    if chosen is not None and new_snapshot:
        raise ValidationFailed(
            "Pilih satu: snapshot yang ada atau bekukan snapshot baru.", code="sop_snapshot_ambiguous"
        )
    if chosen is not None:
        if chosen.sintetis:
            raise DomainError(
                f"{chosen} berisi data sintetis (demo) dan tidak dapat dipakai untuk permintaan data.",
                code="sop_snapshot_synthetic",
            )
        if chosen.tanggal_potong != cutoff:
            raise ValidationFailed(
                f"{chosen} bertanggal potong {chosen.tanggal_potong:%d-%m-%Y}, sedangkan permintaan meminta data "
                f"per {cutoff:%d-%m-%Y}. Pilih snapshot pada tanggal itu.",
                code="sop_snapshot_wrong_date",
            )
        return chosen
    existing = None if new_snapshot else real_snapshots_at(cutoff).first()
    return existing or snapshot_freeze_register(cutoff=cutoff, by=user)


@transaction.atomic
def case_start_for_request(
    *, permintaan: PermintaanData, user: User, snapshot=None, new_snapshot: bool = False
) -> Case:
    """SOP 1 step 1 in minutes: take the chosen snapshot (or the newest at the requested date, or freeze a
    new one from the register), compute the report of the requested tables as PDF and XLSX, draft the Surat
    Pengantar citing the snapshot with both attached, and start the case.

    One request has at most one running case: the request row is locked, and pressing start again (or
    twice at once) returns the case already running. After a cancellation the request may start again."""
    from piak.statistik.report import report_pdf, report_xlsx

    first = _latest_version(SOP_LAPORAN).definition.step(1)
    _acting_holding(user=user, role=first.pelaksana, action="memulai SOP 1")
    permintaan = PermintaanData.objects.select_for_update().get(pk=permintaan.pk)
    running = Case.objects.filter(naskah__permintaan=permintaan, status=Case.Status.BERJALAN).first()
    if running is not None:
        return running
    snapshot = _snapshot_for(permintaan, user, snapshot, new_snapshot)
    tables = permintaan.tabel_diminta
    stem = f"laporan-penduduk-{snapshot.tanggal_potong:%Y-%m-%d}"
    title = f"Laporan Data Kependudukan per {snapshot.tanggal_potong:%d-%m-%Y}, tabel {', '.join(sorted(tables))}"
    naskah = naskah_draft(
        permintaan=permintaan,
        by=user,
        snapshot=SnapshotRef(
            ref=f"SNAPSHOT-{snapshot.pk}",
            tanggal=snapshot.tanggal_potong,
            baris=snapshot.jumlah_baris,
            sha256=snapshot.sha256,
            sintetis=snapshot.sintetis,
        ),
        lampiran=[
            BerkasLampiran(
                nama=f"{stem}.pdf",
                judul=title,
                content=report_pdf(snapshot, tables),
                content_type="application/pdf",
            ),
            BerkasLampiran(
                nama=f"{stem}.xlsx",
                judul=f"{title} (XLSX)",
                content=report_xlsx(snapshot, tables),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ],
    )
    return case_start_for_naskah(naskah=naskah, user=user)


@transaction.atomic
def document_add(*, case: Case, user: User, upload=None, rencana_kerja: dict | None = None) -> DocumentVersion:
    """A new version of the case's document, by the performer of the open work step (after a return too)."""
    case = _lock(case)
    run = case.step_runs.filter(selesai_pada__isnull=True).first()
    if run is None:
        raise DomainError("Berkas ini tidak mempunyai langkah yang terbuka.", code="sop_case_closed")
    run, step = _open_run_for_action(case, run, {"kerja"}, "mengunggah dokumen")
    holding = _authorise(user=user, run=run, step=step, action="mengunggah dokumen")
    if case.naskah_id:
        upload = _naskah_revision(case)
    if upload is None and rencana_kerja is None:
        raise ValidationFailed("Pilih berkas atau isi rencana kerja.", code="sop_document_missing")
    _document_input_check(case.versi.definition, upload, rencana_kerja)
    document = _document_create(case, user, upload=upload, rencana_kerja=rencana_kerja)
    events.document_added(document, user, holding)
    return document


def _deliver_and_archive(case: Case, user: User) -> None:
    """SOP 1 ends when the letter has reached the agency; it is then archived with its audit trail."""
    if case.naskah.status not in DELIVERED:
        raise ValidationFailed(
            "Surat belum dikirim ke instansi. Kirim lewat surel atau tautan unduhan di halaman surat.",
            code="sop_naskah_not_sent",
        )
    if case.naskah.status != Naskah.Status.DIARSIPKAN:
        naskah_archive(naskah=case.naskah, by=user)


def _naskah_revision(case: Case) -> ContentFile:
    """A letter's corrections are made on the letter (a new draft version); the case takes that version."""
    latest = case.naskah.versi_terakhir
    if case.documents.filter(sha256=latest.sha256).exists():
        raise ValidationFailed(
            "Belum ada versi baru surat. Perbaiki draf Surat Pengantar dulu, lalu ambil versinya di sini.",
            code="sop_naskah_unchanged",
        )
    return _naskah_draft_file(case.naskah)


@transaction.atomic
def case_cancel(*, case: Case, user: User, reason: str) -> Case:
    case = _lock(case)
    if case.status != Case.Status.BERJALAN:
        raise DomainError(f"Berkas ini sudah {case.get_status_display().lower()}.", code="sop_case_closed")
    if not reason.strip():
        raise ValidationFailed("Alasan pembatalan wajib diisi.", code="sop_reason_required")
    today = timezone.localdate()
    holding = next((h for h in roles_of_user_on(user=user, on=today) if h.role_id in CANCEL_ROLES), None)
    if user.pk != case.dimulai_oleh_id and holding is None:
        raise PermissionDeniedError(
            "Hanya pemrakarsa berkas, Kabid PIAK, Kepala Dinas atau Admin yang dapat membatalkan.",
            code="sop_cancel_forbidden",
        )
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
    return case


# --- step actions ---------------------------------------------------------------------------------


@transaction.atomic
def step_complete(*, step_run: StepRun, user: User, checklist: list[str], catatan: str = "") -> StepRun:
    """Finish a work step: every kelengkapan item ticked and, where required, a document present."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"kerja"}, "menyelesaikan langkah")
    holding = _authorise(user=user, run=run, step=step, action="menyelesaikan langkah ini")
    missing = [item for item in step.checklist if item not in checklist]
    if missing:
        raise ValidationFailed(f"Kelengkapan belum dicentang: {', '.join(missing)}.", code="sop_checklist_incomplete")
    document = _current_document(case)
    if step.wajib_lampiran and document is None:
        raise ValidationFailed(
            "Langkah ini mensyaratkan dokumen terlampir; unggah dulu dokumennya.",
            code="sop_attachment_missing",
        )
    if case.naskah_id and case.versi.definition.next_step(step.no) is None:
        _deliver_and_archive(case, user)
    now = timezone.now()
    _finish(
        run,
        user=user,
        holding=holding,
        outcome=StepRun.Outcome.SELESAI,
        now=now,
        checklist=list(step.checklist),
        catatan=catatan.strip(),
        document_hash=document.sha256 if document else "",
    )
    _advance(case, case.versi.definition, run, now)
    events.step_event(events.STEP_COMPLETED, run, user, holding, catatan=run.catatan)
    return run


@transaction.atomic
def _approve(*, step_run: StepRun, user: User, document_hash: str, kind: str, catatan: str = "") -> StepRun:
    """Paraf or signature: bound to the document version the official saw, never by its drafter."""
    words = {
        "paraf": ("paraf", "memberi paraf", "memaraf", StepRun.Outcome.PARAF, events.STEP_PARAF),
        "tanda_tangan": (
            "tanda tangan",
            "menandatangani",
            "menandatangani",
            StepRun.Outcome.DITANDATANGANI,
            events.STEP_SIGNED,
        ),
    }[kind]
    action, authorise_as, own_draft_verb, outcome, event = words
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {kind}, action)
    holding = _authorise(user=user, run=run, step=step, action=authorise_as)
    _refuse_own_draft(case, user, own_draft_verb)
    bound = _bound_hash(case, document_hash)
    if kind == "tanda_tangan" and case.naskah_id:
        # Number, render and sign the Surat Pengantar in the same transaction as the step.
        naskah_sign(naskah=case.naskah, by=user, expected_sha256=bound)
    now = timezone.now()
    _finish(run, user=user, holding=holding, outcome=outcome, now=now, document_hash=bound, catatan=catatan.strip())
    _advance(case, case.versi.definition, run, now)
    events.step_event(event, run, user, holding)
    return run


def step_paraf(*, step_run: StepRun, user: User, document_hash: str, catatan: str = "") -> StepRun:
    """Initial the exact document version the official saw (its SHA-256)."""
    return _approve(step_run=step_run, user=user, document_hash=document_hash, kind="paraf", catatan=catatan)


def step_sign(*, step_run: StepRun, user: User, document_hash: str) -> StepRun:
    """Sign the document version the official saw; an SOP 1 letter is numbered and signed (PAdES) here."""
    return _approve(step_run=step_run, user=user, document_hash=document_hash, kind="tanda_tangan")


@transaction.atomic
def step_return(*, step_run: StepRun, user: User, to_step: int, reason: str) -> StepRun:
    """Send the document back to an allowed earlier step; paraf given since then become invalid."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"kerja", "paraf", "disposisi", "tanda_tangan"}, "kembalikan")
    holding = _authorise(user=user, run=run, step=step, action="mengembalikan dokumen")
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
        document_hash=_current_hash(case),
    )
    invalidated = case.step_runs.filter(
        langkah__gte=to_step,
        hasil__in=[StepRun.Outcome.PARAF, StepRun.Outcome.DITANDATANGANI],
        dibatalkan_pada__isnull=True,
    ).update(dibatalkan_pada=now)
    previous_performer = case.step_runs.filter(langkah=to_step, pelaku__isnull=False).order_by("-percobaan").first()
    _open_step(
        case,
        case.versi.definition.step(to_step),
        now,
        assignee=previous_performer.pelaku if previous_performer else None,
    )
    events.step_event(
        events.STEP_RETURNED,
        run,
        user,
        holding,
        ke_langkah=to_step,
        alasan=run.catatan,
        paraf_gugur=invalidated,
    )
    return run


def _refuse_non_subordinate(user_role: str, to_user: User) -> None:
    ranks = [RANK[h.role_id] for h in roles_of_user_on(user=to_user, on=timezone.localdate()) if h.role_id in RANK]
    if not ranks or min(ranks) >= RANK[user_role]:
        raise ValidationFailed(
            f"{to_user.display_name} bukan bawahan yang dapat menerima disposisi Anda.",
            code="sop_not_subordinate",
        )


@transaction.atomic
def step_disposisi(*, step_run: StepRun, user: User, instruksi: str, kepada: User) -> StepRun:
    """A written instruction to a named subordinate; they get the next step if they may perform it."""
    case = _lock(step_run.case)
    run, step = _open_run_for_action(case, step_run, {"disposisi"}, "disposisi")
    holding = _authorise(user=user, run=run, step=step, action="memberi disposisi")
    if not instruksi.strip():
        raise ValidationFailed("Isi disposisi wajib diisi.", code="sop_instruction_required")
    _refuse_non_subordinate(step.pelaksana, kepada)
    now = timezone.now()
    _finish(
        run,
        user=user,
        holding=holding,
        outcome=StepRun.Outcome.DISPOSISI,
        now=now,
        catatan=instruksi.strip(),
        disposisi_ke=kepada,
        document_hash=_current_hash(case),
    )
    definition = case.versi.definition
    following = definition.next_step(run.langkah)
    gets_next = (
        following is not None
        and holding_for(user=kepada, role=following.pelaksana, on=timezone.localdate()) is not None
    )
    _advance(case, definition, run, now, assignee=kepada if gets_next else None)
    events.step_event(events.STEP_DISPOSISI, run, user, holding, kepada=kepada.username, instruksi=run.catatan)
    return run


# --- time standards -------------------------------------------------------------------------------


def _notice_recipients(run: StepRun, level: str, definition: Definition) -> list[User]:
    today = timezone.localdate()
    if level == Notification.Level.PERINGATAN:
        if run.ditugaskan_ke_id:
            return [run.ditugaskan_ke]
        return [h.user for h in role_holders_on(role=run.peran, on=today)]
    superior = definition.atasan.get(run.peran)
    return [h.user for h in role_holders_on(role=superior, on=today)] if superior else []


def _notice_text(run: StepRun, level: str, step: Step) -> str:
    state = "mendekati batas" if level == Notification.Level.PERINGATAN else "MELEWATI batas"
    return (
        f"Berkas \u201c{run.case.judul}\u201d langkah {step.no} ({step.aktivitas}) {state} standar waktu "
        f"{step.waktu}; tenggat {timezone.localtime(run.tenggat):%d-%m-%Y %H:%M} WIB."
    )


def _notify_once(run: StepRun, level: str, recipients: list[User], text: str) -> list[User]:
    """Create the notice for each recipient not yet told; the unique constraint makes it exactly once."""
    told = []
    for user in recipients:
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, step_run=run, level=level, pesan=text)
        except IntegrityError:
            continue
        told.append(user)
    return told


def _send_quietly(subject: str, text: str, addresses: list[str]) -> None:
    """Email is a courtesy copy of the in-app notice: a mail server outage must not fail the scan."""
    try:
        send_mail(subject, text, None, addresses)
    except (OSError, smtplib.SMTPException):
        logger.exception("SLA notice email to %s failed", addresses)


def _email_later(users: list[User], subject: str, text: str) -> None:
    addresses = [u.email for u in users if u.email]
    if addresses:
        transaction.on_commit(lambda: _send_quietly(subject, text, addresses))


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
            text = _notice_text(run, level, step)
            told = _notify_once(run, level, _notice_recipients(run, level, definition), text)
            if told:
                counts[level] += len(told)
                events.sla_notice(run, level, [u.username for u in told])
                _email_later(told, f"[PIAK] {Notification.Level(level).label}: {run.case.judul}", text)
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
