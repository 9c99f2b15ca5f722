"""One function per audit event type of SOP 2's work records."""

from piak.core.audit import Actor, audit_append, register_action

from .models import BahanPenyiapan, CatatanKerja, Pemeliharaan

MATERIAL_ADDED = register_action("siak.bahan_penyiapan", "Bahan penyiapan data dilampirkan pada berkas SOP 2")
WORK_LINKED = register_action("siak.tautan_kerja", "Pekerjaan register ditautkan ke atau dilepas dari berkas SOP 2")
MAINTENANCE_RECORDED = register_action("siak.pemeliharaan", "Pemeliharaan/instalasi dicatat pada berkas SOP 2")


def _actor(user, run) -> Actor:
    return Actor(user, role=run.case.versi.definition.step(run.langkah).pelaksana)


def bahan_added(bahan: BahanPenyiapan, user) -> None:
    audit_append(
        action=MATERIAL_ADDED,
        actor=_actor(user, bahan.step_run),
        obj=bahan.case,
        payload={"bahan": bahan.pk, "jenis": bahan.jenis, "berkas": bahan.berkas_nama},
        document_hash=bahan.berkas_sha256,
    )


def work_linked(catatan: CatatanKerja, user, *, linked: bool) -> None:
    audit_append(
        action=WORK_LINKED,
        actor=_actor(user, catatan.step_run),
        obj=catatan.case,
        payload={"jenis": catatan.jenis, "objek": catatan.object_id, "cara": catatan.cara, "ditautkan": linked},
    )


def maintenance_recorded(entry: Pemeliharaan, user) -> None:
    audit_append(
        action=MAINTENANCE_RECORDED,
        actor=_actor(user, entry.step_run),
        obj=entry.case,
        payload={"jenis": entry.jenis, "uraian": entry.uraian, "perangkat": entry.perangkat, "menit": entry.menit},
    )
