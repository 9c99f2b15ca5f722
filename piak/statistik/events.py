"""One function per audit event type of the statistik app."""

from piak.core.audit import Actor, audit_append, register_action

from .models import IndicatorRun, Snapshot

SNAPSHOT_CREATED = register_action("statistik.snapshot_created", "Pembuatan snapshot data kependudukan")
INDICATORS_COMPUTED = register_action("statistik.indicators_computed", "Perhitungan indikator snapshot")


def snapshot_created(snapshot: Snapshot, actor: Actor) -> None:
    audit_append(
        action=SNAPSHOT_CREATED,
        actor=actor,
        obj=snapshot,
        payload={
            "tanggal_potong": snapshot.tanggal_potong,
            "jumlah_baris": snapshot.jumlah_baris,
            "jumlah_peristiwa": snapshot.jumlah_peristiwa,
            "sha256_peristiwa": snapshot.sha256_peristiwa,
            "sintetis": snapshot.sintetis,
        },
        document_hash=snapshot.sha256,
    )


def indicators_computed(run: IndicatorRun, actor: Actor) -> None:
    audit_append(
        action=INDICATORS_COMPUTED,
        actor=actor,
        obj=run,
        payload={"snapshot": run.snapshot_id, "jumlah_nilai": run.jumlah_nilai},
        document_hash=run.definisi_sha256,
    )
