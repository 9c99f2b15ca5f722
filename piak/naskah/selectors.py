"""Reads of the letters app."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.files import File
from django.db.models import Q, QuerySet
from django.utils import timezone

from piak.core.audit import ACTIONS
from piak.core.models import AuditEvent, Role

from .models import (
    ArsipBerkas,
    Lampiran,
    Naskah,
    NaskahVersi,
    NomorCadangan,
    Penghitung,
    Pengiriman,
    PermintaanData,
)
from .numbering import SURAT

DELIVERY_SALT = "piak.naskah.pengiriman"


def permintaan_list() -> QuerySet[PermintaanData]:
    return PermintaanData.objects.select_related("dibuat_oleh").prefetch_related("naskah")


def naskah_for_view(pk: int) -> Naskah:
    return Naskah.objects.select_related("permintaan", "penyusun", "penandatangan").get(pk=pk)


def signed_version(naskah: Naskah) -> NaskahVersi | None:
    return naskah.versi.filter(jenis=NaskahVersi.Jenis.FINAL).first()


def sent_letters() -> QuerySet[Naskah]:
    """The register of outgoing letters: every signed letter, newest number first, with deliveries."""
    return (
        Naskah.objects.exclude(status__in=[Naskah.Status.DRAF, Naskah.Status.DIBATALKAN])
        .select_related("permintaan", "penandatangan")
        .prefetch_related("pengiriman")
        .order_by("-tahun", "-nomor_urut")
    )


def naskah_by_token(token: str) -> Naskah | None:
    if not token:
        return None
    return Naskah.objects.select_related("permintaan", "penandatangan").filter(token_verifikasi=token).first()


def delivery_token(pengiriman: Pengiriman) -> str:
    return signing.dumps(pengiriman.pk, salt=DELIVERY_SALT)


def pengiriman_by_token(token: str) -> Pengiriman | None:
    """The delivery a download/acknowledgement link names, if the link is authentic."""
    try:
        pk = signing.loads(token, salt=DELIVERY_SALT)
    except signing.BadSignature:
        return None
    return Pengiriman.objects.select_related("naskah", "naskah__permintaan").filter(pk=pk).first()


def link_expired(pengiriman: Pengiriman, now: datetime | None = None) -> bool:
    return pengiriman.kedaluwarsa is not None and (now or timezone.now()) >= pengiriman.kedaluwarsa


# --- numbers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberUse:
    seq: int
    nomor: str
    status: str
    keterangan: str


def number_ledger(tahun: int) -> list[NumberUse]:
    """Every final number of `tahun` in order, with what it was used for. A gap means a lost number."""
    uses = {
        n.nomor_urut: NumberUse(n.nomor_urut, n.nomor, f"elektronik — {n.get_status_display()}", n.perihal)
        for n in Naskah.objects.filter(tahun=tahun, nomor_urut__isnull=False)
    }
    for n in NomorCadangan.objects.filter(tahun=tahun):
        note = n.perihal if n.status == NomorCadangan.Status.DIPAKAI else n.alasan_batal
        uses[n.nomor_urut] = NumberUse(n.nomor_urut, n.nomor, f"cadangan — {n.get_status_display()}", note)
    return [uses[seq] for seq in sorted(uses)]


def number_gaps(tahun: int) -> list[int]:
    """Numbers given out by the counter that no letter or reserved number accounts for (should be none)."""
    counter = Penghitung.objects.filter(jenis=SURAT, tahun=tahun).first()
    last = counter.terakhir if counter else 0
    used = set(Naskah.objects.filter(tahun=tahun, nomor_urut__isnull=False).values_list("nomor_urut", flat=True))
    used |= set(NomorCadangan.objects.filter(tahun=tahun).values_list("nomor_urut", flat=True))
    return [seq for seq in range(1, last + 1) if seq not in used]


def counters() -> QuerySet[Penghitung]:
    return Penghitung.objects.filter(jenis=SURAT).order_by("-tahun")


# --- audit trail and archive ----------------------------------------------------------------------------


def naskah_last_event(naskah: Naskah) -> AuditEvent | None:
    """The latest change of the letter itself: what a letter page showed is bound to its `seq`."""
    return (
        AuditEvent.objects.filter(object_type="naskah.naskah", object_id=str(naskah.pk))
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def naskah_seen_seq(naskah: Naskah) -> int:
    event = naskah_last_event(naskah)
    return event.seq if event else 0


def naskah_events(naskah: Naskah) -> QuerySet[AuditEvent]:
    """Every event of the letter, its data request and its SOP 1 case (start, paraf, returns, disposisi,
    signature, cancel), in chain order."""
    scope = Q(object_type="naskah.naskah", object_id=str(naskah.pk)) | Q(
        object_type="naskah.permintaandata", object_id=str(naskah.permintaan_id)
    )
    case = naskah.case
    if case is not None:
        scope |= Q(object_type=case._meta.label_lower, object_id=str(case.pk))
    return AuditEvent.objects.filter(scope).select_related("actor").order_by("seq")


def audit_trail_export(naskah: Naskah) -> list[dict]:
    """The document's audit events as plain data, with their chain hashes so they can be re-checked."""
    return [
        {
            "seq": e.seq,
            "aksi": e.action,
            "keterangan": ACTIONS.get(e.action, ""),
            "pelaku": e.actor.username if e.actor else None,
            "nama_pelaku": e.actor.display_name if e.actor else None,
            "jabatan": e.role,
            "kedudukan": e.acting_as,
            "waktu": timezone.localtime(e.created_at).isoformat(),
            "objek": f"{e.object_type}#{e.object_id}",
            "data": e.payload,
            "hash_dokumen": e.document_hash,
            "hash_sebelumnya": e.prev_hash,
            "hash": e.hash,
        }
        for e in naskah_events(naskah)
    ]


@dataclass(frozen=True)
class TrailRow:
    """One line of the readable audit trail on the archive sheet."""

    seq: int
    waktu: datetime
    peristiwa: str
    rincian: str
    pelaku: str
    jabatan: str
    hash_dokumen: str


# Payload keys worth printing, in order, with their label ("" prints the value alone).
TRAIL_DETAILS = {
    "langkah": "langkah",
    "ke_langkah": "ke langkah",
    "nomor": "nomor",
    "versi": "versi",
    "cara": "cara",
    "kepada": "kepada",
    "penerima": "penerima",
    "instruksi": "instruksi",
    "alasan": "alasan",
    "catatan": "catatan",
}


def _trail_detail(payload: dict) -> str:
    parts = []
    for key, label in TRAIL_DETAILS.items():
        value = payload.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, dict):  # e.g. a disposisi's addressee
            value = value.get("nama") or value.get("username") or ""
        parts.append(f"{label} {value}")
    return "; ".join(parts)


def _trail_role(event: AuditEvent, role_names: dict[str, str]) -> str:
    name = role_names.get(event.role, event.role)
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(event.acting_as, "")
    return f"{prefix}{name}" if name else ""


def audit_trail_rows(naskah: Naskah) -> list[TrailRow]:
    role_names = dict(Role.objects.values_list("code", "nama"))
    return [
        TrailRow(
            seq=e.seq,
            waktu=timezone.localtime(e.created_at),
            peristiwa=ACTIONS.get(e.action, e.action),
            rincian=_trail_detail(e.payload),
            pelaku=e.actor.display_name if e.actor else "Instansi penerima / sistem",
            jabatan=_trail_role(e, role_names),
            hash_dokumen=e.document_hash[:12],
        )
        for e in naskah_events(naskah)
    ]


@dataclass(frozen=True)
class StoredFile:
    label: str
    file: File
    sha256: str


def stored_files() -> Iterator[StoredFile]:
    """Every file the letters app keeps, with the hash recorded when it was stored."""
    for versi in NaskahVersi.objects.select_related("naskah").order_by("pk"):
        yield StoredFile(f"naskah #{versi.naskah_id} versi {versi.nomor_versi}", versi.berkas, versi.sha256)
    for lampiran in Lampiran.objects.order_by("pk"):
        yield StoredFile(f"lampiran '{lampiran.nama}' naskah #{lampiran.naskah_id}", lampiran.berkas, lampiran.sha256)
    for berkas in ArsipBerkas.objects.select_related("arsip").order_by("pk"):
        yield StoredFile(f"arsip {berkas.arsip.nomor_register} '{berkas.nama}'", berkas.berkas, berkas.sha256)


def stored_file_problem(stored: StoredFile) -> str:
    """Why the stored file no longer matches its recorded hash, or '' when it does."""
    try:
        with stored.file.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "berkas hilang"
    return "" if digest == stored.sha256 else f"hash berbeda (tercatat {stored.sha256[:12]}…, kini {digest[:12]}…)"
