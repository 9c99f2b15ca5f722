"""One function per audit event type of the penduduk app."""

from typing import Any

from piak.core.audit import Actor, audit_append, register_action

from .models import AksesDataPribadi, Impor, Keluarga, KoreksiData, Penduduk, Peristiwa

IMPORTED = register_action("penduduk.impor", "Impor data penduduk dari ekspor SIAK")
CHANGED_BY_IMPORT = register_action("penduduk.diubah_impor", "Data penduduk diubah oleh impor")
FAMILY_CHANGED_BY_IMPORT = register_action("keluarga.diubah_impor", "Data keluarga diubah oleh impor")
IMPORT_STOPPED = register_action("penduduk.impor_terhenti", "Impor data penduduk terhenti sebelum selesai")
EVENT_RECORDED = register_action("penduduk.peristiwa", "Pencatatan peristiwa kependudukan")
PERSONAL_DATA_ACCESSED = register_action("penduduk.akses_data_pribadi", "Akses data pribadi penduduk")
DATA_CORRECTED = register_action("penduduk.koreksi", "Koreksi data penduduk (nilai lama dan baru)")
DUPLICATE_RETIRED = register_action("penduduk.data_ganda", "Penonaktifan data ganda penduduk")
UPLOADS_DELETED = register_action("penduduk.unggahan_dihapus", "Berkas unggahan impor dihapus (masa simpan habis)")


def imported(actor: Actor, *, berkas: str, sha256: str, totals: dict[str, int], skip_invalid: bool) -> None:
    audit_append(
        action=IMPORTED,
        actor=actor,
        payload={"berkas": berkas, "lewati_tidak_valid": skip_invalid, **totals},
        document_hash=sha256,
    )


def import_stopped(impor: Impor, *, alasan: str) -> None:
    """The system, not a person, declares an import whose worker died (or failed) stopped."""
    audit_append(
        action=IMPORT_STOPPED,
        actor=Actor(None),
        obj=impor,
        payload={"berkas": impor.nama_asli, "status": impor.status, "alasan": alasan},
    )


def changed_by_import(actor: Actor, penduduk_id: int, nik: str, changes: dict[str, list[Any]]) -> None:
    audit_append(
        action=CHANGED_BY_IMPORT,
        actor=actor,
        obj=Penduduk(pk=penduduk_id),
        payload={"nik": nik, "perubahan": changes},
    )


def family_changed_by_import(actor: Actor, keluarga_id: int, no_kk: str, changes: dict[str, list[Any]]) -> None:
    audit_append(
        action=FAMILY_CHANGED_BY_IMPORT,
        actor=actor,
        obj=Keluarga(pk=keluarga_id),
        payload={"no_kk": no_kk, "perubahan": changes},
    )


def event_recorded(actor: Actor, peristiwa: Peristiwa, extra: dict[str, Any] | None = None) -> None:
    payload: dict[str, Any] = {
        "nik": peristiwa.penduduk.nik,
        "jenis": peristiwa.jenis,
        "tanggal_peristiwa": peristiwa.tanggal_peristiwa,
        "tanggal_lapor": peristiwa.tanggal_lapor,
        "kelurahan": peristiwa.kelurahan_id,
    }
    if peristiwa.tingkat_pindah:
        payload["tingkat_pindah"] = peristiwa.tingkat_pindah
    audit_append(action=EVENT_RECORDED, actor=actor, obj=peristiwa, payload={**payload, **(extra or {})})


def personal_data_accessed(actor: Actor, akses: AksesDataPribadi) -> None:
    """The access-log entry in the chain, so deleting or editing the log is detected by verify-audit."""
    audit_append(
        action=PERSONAL_DATA_ACCESSED,
        actor=actor,
        obj=akses,
        payload={
            "jenis": akses.jenis,
            "objek": akses.objek,
            "tujuan": akses.tujuan,
            "alamat_ip": akses.alamat_ip,
            "ditolak": akses.ditolak,
        },
    )


def uploads_deleted(actor: Actor, *, impor_ids: list[int], stray_files: int, retention_days: int) -> None:
    audit_append(
        action=UPLOADS_DELETED,
        actor=actor,
        payload={"impor": impor_ids, "berkas_lain": stray_files, "masa_simpan_hari": retention_days},
    )


def corrected(actor: Actor, koreksi: KoreksiData) -> None:
    """A correction with old and new values; the supporting document is bound by its hash."""
    payload: dict[str, Any] = {
        "nik": koreksi.penduduk.nik,
        "jenis": koreksi.jenis,
        "kolom": koreksi.kolom,
        "nilai_lama": koreksi.nilai_lama,
        "nilai_baru": koreksi.nilai_baru,
        "alasan": koreksi.alasan,
        "dokumen": koreksi.dokumen_nama,
    }
    if koreksi.pengganti_id:
        payload["pengganti_nik"] = koreksi.pengganti.nik
        payload["pengganti_id"] = koreksi.pengganti_id
    action = DUPLICATE_RETIRED if koreksi.jenis == KoreksiData.Jenis.DATA_GANDA else DATA_CORRECTED
    audit_append(action=action, actor=actor, obj=koreksi, payload=payload, document_hash=koreksi.dokumen_sha256)
