"""One function per audit event type of the letters app (see core/events.py)."""

from piak.core.audit import Actor, audit_append, register_action

from .models import (
    Arsip,
    BlokNomor,
    Naskah,
    NaskahVersi,
    NomorCadangan,
    Pengiriman,
    PermintaanData,
    SigningPassphrase,
)

PERMINTAAN_DICATAT = register_action("naskah.permintaan_dicatat", "Pencatatan permintaan data instansi")
NASKAH_DISUSUN = register_action("naskah.disusun", "Penyusunan draf Surat Pengantar")
NASKAH_DIREVISI = register_action("naskah.direvisi", "Revisi draf Surat Pengantar")
NASKAH_DITANDATANGANI = register_action("naskah.ditandatangani", "Penandatanganan dan penomoran naskah")
BLOK_NOMOR_DIPESAN = register_action("naskah.blok_nomor_dipesan", "Pemesanan blok nomor untuk surat kertas")
NOMOR_CADANGAN_DIPAKAI = register_action("naskah.nomor_cadangan_dipakai", "Rekonsiliasi: nomor dipakai")
NOMOR_CADANGAN_DIBATALKAN = register_action("naskah.nomor_cadangan_dibatalkan", "Rekonsiliasi: nomor batal")
NASKAH_DIKIRIM = register_action("naskah.dikirim", "Pengiriman naskah ke instansi")
NASKAH_DITERIMA = register_action("naskah.diterima", "Tanda terima naskah oleh instansi")
NASKAH_DIARSIPKAN = register_action("naskah.diarsipkan", "Pengarsipan naskah")
NASKAH_DICABUT = register_action("naskah.dicabut", "Pencabutan naskah yang sudah ditandatangani")
NASKAH_DIBATALKAN = register_action("naskah.dibatalkan", "Pembatalan draf naskah")
PASSPHRASE_DIATUR = register_action("naskah.passphrase_diatur", "Passphrase penandatanganan diatur")
PASSPHRASE_SALAH = register_action("naskah.passphrase_salah", "Passphrase penandatanganan salah")
PASSPHRASE_DIBUKA = register_action("naskah.passphrase_dibuka", "Kunci passphrase penandatanganan dibuka")


def permintaan_dicatat(permintaan: PermintaanData, actor: Actor) -> None:
    audit_append(
        action=PERMINTAAN_DICATAT,
        actor=actor,
        obj=permintaan,
        payload={
            "instansi": permintaan.instansi,
            "nomor_surat": permintaan.nomor_surat,
            "tabel": permintaan.tabel_diminta,
            "tanggal_data": permintaan.tanggal_data,
        },
    )


def _version_payload(versi: NaskahVersi) -> dict:
    return {"versi": versi.nomor_versi, "jenis": versi.jenis, "ukuran": versi.ukuran}


def naskah_disusun(naskah: Naskah, versi: NaskahVersi, actor: Actor) -> None:
    audit_append(
        action=NASKAH_DISUSUN,
        actor=actor,
        obj=naskah,
        payload={
            **_version_payload(versi),
            "permintaan": naskah.permintaan_id,
            "snapshot": naskah.snapshot_ref,
        },
        document_hash=versi.sha256,
    )


def naskah_direvisi(naskah: Naskah, versi: NaskahVersi, actor: Actor, changed: list[str]) -> None:
    audit_append(
        action=NASKAH_DIREVISI,
        actor=actor,
        obj=naskah,
        payload={**_version_payload(versi), "diubah": changed},
        document_hash=versi.sha256,
    )


def naskah_ditandatangani(naskah: Naskah, versi: NaskahVersi, actor: Actor, draft_hash: str) -> None:
    audit_append(
        action=NASKAH_DITANDATANGANI,
        actor=actor,
        obj=naskah,
        payload={**_version_payload(versi), "nomor": naskah.nomor, "draf_sha256": draft_hash},
        document_hash=versi.sha256,
    )


def blok_nomor_dipesan(blok: BlokNomor, actor: Actor) -> None:
    audit_append(
        action=BLOK_NOMOR_DIPESAN,
        actor=actor,
        obj=blok,
        payload={"tahun": blok.tahun, "mulai": blok.mulai, "selesai": blok.selesai, "alasan": blok.alasan},
    )


def nomor_cadangan_dipakai(nomor: NomorCadangan, actor: Actor) -> None:
    audit_append(
        action=NOMOR_CADANGAN_DIPAKAI,
        actor=actor,
        obj=nomor,
        payload={
            "nomor": nomor.nomor,
            "perihal": nomor.perihal,
            "tujuan": nomor.tujuan,
            "tanggal_surat": nomor.tanggal_surat,
        },
    )


def nomor_cadangan_dibatalkan(nomor: NomorCadangan, actor: Actor) -> None:
    audit_append(
        action=NOMOR_CADANGAN_DIBATALKAN,
        actor=actor,
        obj=nomor,
        payload={"nomor": nomor.nomor, "alasan": nomor.alasan_batal},
    )


def naskah_dikirim(pengiriman: Pengiriman, actor: Actor, document_hash: str) -> None:
    audit_append(
        action=NASKAH_DIKIRIM,
        actor=actor,
        obj=pengiriman.naskah,
        payload={
            "pengiriman": pengiriman.pk,
            "cara": pengiriman.cara,
            "kepada": pengiriman.kepada,
            "tautan_unduh": pengiriman.tautan_unduh,
            "kedaluwarsa": pengiriman.kedaluwarsa,
        },
        document_hash=document_hash,
    )


def naskah_diterima(pengiriman: Pengiriman, actor: Actor) -> None:
    audit_append(
        action=NASKAH_DITERIMA,
        actor=actor,
        obj=pengiriman.naskah,
        payload={
            "pengiriman": pengiriman.pk,
            "via": pengiriman.diterima_via,
            "penerima": pengiriman.diterima_oleh,
            "catatan": pengiriman.catatan_terima,
        },
    )


def naskah_diarsipkan(arsip: Arsip, actor: Actor) -> None:
    audit_append(
        action=NASKAH_DIARSIPKAN,
        actor=actor,
        obj=arsip.naskah,
        payload={
            "nomor_register": arsip.nomor_register,
            "berkas": {b.nama: b.sha256 for b in arsip.berkas.all()},
        },
    )


def naskah_dicabut(naskah: Naskah, actor: Actor, document_hash: str, previous_status: str) -> None:
    audit_append(
        action=NASKAH_DICABUT,
        actor=actor,
        obj=naskah,
        payload={"nomor": naskah.nomor, "alasan": naskah.alasan_cabut, "status_sebelumnya": previous_status},
        document_hash=document_hash,
    )


def naskah_dibatalkan(naskah: Naskah, actor: Actor, document_hash: str) -> None:
    audit_append(
        action=NASKAH_DIBATALKAN,
        actor=actor,
        obj=naskah,
        payload={"alasan": naskah.alasan_batal},
        document_hash=document_hash,
    )


def passphrase_diatur(record: SigningPassphrase, actor: Actor, *, changed: bool) -> None:
    audit_append(action=PASSPHRASE_DIATUR, actor=actor, obj=record, payload={"diganti": changed})


def passphrase_salah(record: SigningPassphrase, actor: Actor) -> None:
    audit_append(
        action=PASSPHRASE_SALAH,
        actor=actor,
        obj=record,
        payload={"gagal": record.gagal, "terkunci": record.terkunci_pada is not None},
    )


def passphrase_dibuka(record: SigningPassphrase, actor: Actor) -> None:
    audit_append(action=PASSPHRASE_DIBUKA, actor=actor, obj=record, payload={"pengguna": record.user.username})
