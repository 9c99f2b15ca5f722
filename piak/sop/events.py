"""One function per audit event type of the SOP engine; each service writes exactly one of them."""

from piak.core.audit import Actor, audit_append, register_action
from piak.core.models import RoleHolding, StandardPause, User

from .models import Case, ComplianceExport, DocumentVersion, SopVersion, StepRun

SOP_PUBLISHED = register_action("sop.published", "Penerbitan versi SOP")
CASE_STARTED = register_action("sop.case_started", "Berkas SOP dimulai")
DOCUMENT_ADDED = register_action("sop.document_added", "Versi dokumen baru diunggah")
STEP_COMPLETED = register_action("sop.step_completed", "Langkah diselesaikan")
STEP_PARAF = register_action("sop.step_paraf", "Paraf")
STEP_RETURNED = register_action("sop.step_returned", "Dokumen dikembalikan untuk perbaikan")
STEP_DISPOSISI = register_action("sop.step_disposisi", "Disposisi")
STEP_SIGNED = register_action("sop.step_signed", "Tanda tangan")
CASE_CANCELLED = register_action("sop.case_cancelled", "Berkas dibatalkan")
SLA_NOTICE = register_action("sop.sla_notice", "Pemberitahuan standar waktu (peringatan/terlambat)")
PAUSE_STARTED = register_action("sop.pause_started", "Standar waktu dijeda karena gangguan")
PAUSE_ENDED = register_action("sop.pause_ended", "Jeda standar waktu berakhir")
COMPLIANCE_REQUESTED = register_action("sop.compliance_requested", "Laporan kepatuhan standar waktu diminta")


def actor_of(user: User, holding: RoleHolding | None) -> Actor:
    if holding is None:
        return Actor(user)
    return Actor(user, role=holding.role_id, acting_as=holding.capacity if holding.is_acting else "")


def sop_published(version: SopVersion, user: User | None) -> None:
    audit_append(
        action=SOP_PUBLISHED,
        actor=Actor(user),
        obj=version,
        document_hash=version.sha256,
        payload={"kode": version.kode, "versi": version.nomor_versi, "catatan": version.catatan},
    )


def case_started(case: Case, user: User, holding: RoleHolding, document: DocumentVersion | None) -> None:
    audit_append(
        action=CASE_STARTED,
        actor=actor_of(user, holding),
        obj=case,
        document_hash=document.sha256 if document else "",
        payload={"sop": case.versi.kode, "versi": case.versi.nomor_versi, "judul": case.judul},
    )


def document_added(document: DocumentVersion, user: User, holding: RoleHolding) -> None:
    audit_append(
        action=DOCUMENT_ADDED,
        actor=actor_of(user, holding),
        obj=document.case,
        document_hash=document.sha256,
        payload={"versi_dokumen": document.nomor, "nama": document.nama_berkas},
    )


def step_event(action: str, run: StepRun, user: User, holding: RoleHolding, **payload) -> None:
    """The event of a step action (complete, paraf, return, disposisi, sign), bound to the document hash."""
    audit_append(
        action=action,
        actor=actor_of(user, holding),
        obj=run.case,
        document_hash=run.document_hash,
        payload={"langkah": run.langkah, "percobaan": run.percobaan, "step_run": run.pk, **payload},
    )


def case_cancelled(case: Case, user: User, holding: RoleHolding | None, reason: str) -> None:
    audit_append(action=CASE_CANCELLED, actor=actor_of(user, holding), obj=case, payload={"alasan": reason})


def sla_notice(run: StepRun, level: str, recipients: list[str]) -> None:
    audit_append(
        action=SLA_NOTICE,
        actor=Actor(None),
        obj=run.case,
        payload={
            "langkah": run.langkah,
            "percobaan": run.percobaan,
            "tingkat": level,
            "penerima": recipients,
        },
    )


def compliance_requested(export: ComplianceExport, user: User) -> None:
    audit_append(
        action=COMPLIANCE_REQUESTED,
        actor=Actor(user),
        obj=export,
        payload={"awal": export.awal.isoformat(), "akhir": export.akhir.isoformat(), "berkas": export.jumlah_berkas},
    )


def pause_started(pause: StandardPause, user: User | None) -> None:
    audit_append(
        action=PAUSE_STARTED,
        actor=Actor(user),
        obj=pause,
        payload={"mulai": pause.mulai.isoformat(), "sumber": pause.sumber, "alasan": pause.alasan},
    )


def pause_ended(pause: StandardPause, user: User | None, moved: int) -> None:
    audit_append(
        action=PAUSE_ENDED,
        actor=Actor(user),
        obj=pause,
        payload={"selesai": pause.selesai.isoformat(), "sumber": pause.sumber, "tenggat_digeser": moved},
    )
