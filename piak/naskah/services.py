"""Writes of the letters app: data requests, Surat Pengantar drafts, signature and number, reserved
number blocks, delivery, acknowledgement and archive. Each change leaves exactly one audit event.

These functions check permissions themselves, so the SOP engine can call them directly from its
steps (step 5 → `naskah_sign`, step 6 → `naskah_send_email` / `naskah_send_link`).
"""

import contextvars
import functools
import hashlib
import json
import secrets
import smtplib
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from piak.core import roles
from piak.core.audit import Actor
from piak.core.checkpoints import audit_checkpoint_after_commit
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import RoleHolding, User
from piak.core.permissions import PERMISSIONS
from piak.core.selectors import holding_for, role_holders_on, roles_of_user_on
from piak.core.waktu import waktu_wib
from piak.statistik.models import Snapshot
from piak.web.links import public_reverse
from piak.web.pdf import render_pdf

from . import events
from .letter import Penandatangan, angka, qr_data_uri, surat_pengantar_render, tanggal_indonesia
from .models import (
    Arsip,
    ArsipBerkas,
    BlokNomor,
    Lampiran,
    Naskah,
    NaskahVersi,
    NomorCadangan,
    Pengiriman,
    PermintaanData,
    SigningPassphrase,
)
from .numbering import ARSIP, SURAT, counter_take, nomor_draf, nomor_final, nomor_register_arsip
from .permissions import (
    NASKAH_ARSIP,
    NASKAH_BATAL,
    NASKAH_KIRIM,
    NASKAH_SUSUN,
    NOMOR_CADANGAN,
    PASSPHRASE_ATUR,
    PASSPHRASE_BUKA,
    PERMINTAAN_CATAT,
)
from .selectors import audit_trail_export, audit_trail_rows, delivery_token, naskah_last_event, signed_version
from .signing import get_signer, sha256_hex
from .tables import TABEL_LAPORAN

DENIED = {
    PERMINTAAN_CATAT: "Anda tidak berwenang mencatat permintaan data.",
    NASKAH_SUSUN: "Hanya Kasi PPD atau Kabid PIAK yang dapat menyusun Surat Pengantar.",
    NASKAH_KIRIM: "Hanya Kasi PPD atau Kabid PIAK yang dapat mengirim naskah dan mencatat penerimaannya.",
    NOMOR_CADANGAN: "Anda tidak berwenang memesan atau merekonsiliasi nomor cadangan.",
    NASKAH_ARSIP: "Anda tidak berwenang mengarsipkan naskah.",
    NASKAH_BATAL: "Hanya Kabid PIAK, Sekretaris atau Kepala Dinas yang dapat membatalkan draf naskah.",
    PASSPHRASE_ATUR: "Anda tidak berwenang mengatur passphrase penandatanganan.",
    PASSPHRASE_BUKA: "Hanya Admin yang dapat membuka kunci passphrase.",
}
MAX_BLOCK = 100
# Verification tokens: lowercase letters and digits only, so a printed address that wraps never reads as
# a hyphenated word (older tokens with '-' or '_' still verify; they are looked up as stored).
TOKEN_ALPHABET = string.ascii_lowercase + string.digits
TOKEN_LENGTH = 32
PASSPHRASE_MIN_LENGTH = 8
PASSPHRASE_TRIES = 5
PASSPHRASE_HASHER = Argon2PasswordHasher()


@dataclass(frozen=True)
class SnapshotRef:
    """The frozen dataset a report was computed from (built by piak.statistik)."""

    ref: str
    tanggal: date
    baris: int
    sha256: str
    sintetis: bool = False  # generated demo data: no letter may cite it


@dataclass(frozen=True)
class BerkasLampiran:
    """An attachment handed in by the caller: the report PDF, the XLSX."""

    nama: str
    judul: str
    content: bytes
    content_type: str = "application/octet-stream"


def _today() -> date:
    return timezone.localdate()


def _acting(user: User, permission: str) -> Actor:
    """The actor for `user` acting under `permission` today, preferring a definitive holding."""
    allowed = PERMISSIONS[permission][1]
    holdings = [h for h in roles_of_user_on(user=user, on=_today()) if h.role_id in allowed]
    if not user.is_active or not holdings:
        raise PermissionDeniedError(DENIED[permission], code=f"{permission.replace('.', '_')}_denied")
    holding = min(holdings, key=lambda h: h.is_acting)
    return _actor_for(holding)


def _actor_for(holding: RoleHolding) -> Actor:
    return Actor(holding.user, holding.role_id, holding.capacity if holding.is_acting else "")


def _required(**values: str) -> None:
    missing = [name for name, value in values.items() if not str(value).strip()]
    if missing:
        raise ValidationFailed(f"Wajib diisi: {', '.join(missing)}.", code="naskah_field_required")


def _valid_email(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationFailed(f"Alamat surel '{address}' tidak valid.", code="naskah_bad_email") from None
    return address


# What happened to the letter, for "Surat ini sudah … oleh NAMA pada …".
DONE = {
    "naskah.disusun": "disusun",
    "naskah.direvisi": "direvisi",
    "naskah.ditandatangani": "ditandatangani",
    "naskah.dikirim": "dikirim",
    "naskah.diterima": "dicatat diterima instansi",
    "naskah.diarsipkan": "diarsipkan",
    "naskah.dicabut": "dicabut",
    "naskah.dibatalkan": "dibatalkan",
}


def _last_change(naskah: Naskah) -> str:
    """'Surat ini sudah dikirim oleh NAMA pada dd-mm-yyyy HH:MM.' for the letter's latest change."""
    event = naskah_last_event(naskah)
    if event is None:
        return "Surat ini telah berubah."
    who = event.actor.display_name if event.actor else "penerima di instansi"
    when = waktu_wib(event.created_at)
    return f"Surat ini sudah {DONE.get(event.action, 'diubah')} oleh {who} pada {when}."


def _stale(naskah: Naskah, code: str = "naskah_stale") -> DomainError:
    return DomainError(f"{_last_change(naskah)} Muat ulang halaman.", code=code)


def _refuse_if_stale(naskah: Naskah, expected_seq: int | None) -> None:
    """A form carries the seq of the letter's last event its page showed; anything newer makes it stale."""
    if expected_seq is None:
        return
    event = naskah_last_event(naskah)
    if (event.seq if event else 0) != expected_seq:
        raise _stale(naskah)


# --- data requests ---------------------------------------------------------------------------------


@transaction.atomic
def permintaan_create(
    *,
    by: User,
    instansi: str,
    jabatan_tujuan: str,
    nomor_surat: str,
    tanggal_surat: date,
    keperluan: str,
    tabel_diminta: Sequence[str],
    tanggal_data: date,
    email_kontak: str,
    dasar_hukum: str = "",
    nomor_pks: str = "",
) -> PermintaanData:
    actor = _acting(by, PERMINTAAN_CATAT)
    _required(instansi=instansi, jabatan_tujuan=jabatan_tujuan, nomor_surat=nomor_surat, keperluan=keperluan)
    if not (dasar_hukum.strip() or nomor_pks.strip()):
        raise ValidationFailed(
            "Isi dasar hukum atau nomor perjanjian kerja sama (PKS): data tidak dikirim tanpa dasar.",
            code="permintaan_needs_basis",
        )
    unknown = [code for code in tabel_diminta if code not in TABEL_LAPORAN]
    if not tabel_diminta or unknown:
        detail = f" (tidak dikenal: {', '.join(unknown)})" if unknown else ""
        raise ValidationFailed(f"Pilih tabel dari daftar tabel laporan{detail}.", code="permintaan_bad_tables")
    if tanggal_surat > _today():
        raise ValidationFailed("Tanggal surat permohonan tidak boleh di masa depan.", code="permintaan_future")
    permintaan = PermintaanData.objects.create(
        instansi=instansi.strip(),
        jabatan_tujuan=jabatan_tujuan.strip(),
        nomor_surat=nomor_surat.strip(),
        tanggal_surat=tanggal_surat,
        keperluan=keperluan.strip(),
        dasar_hukum=dasar_hukum.strip(),
        nomor_pks=nomor_pks.strip(),
        tabel_diminta=list(dict.fromkeys(tabel_diminta)),
        tanggal_data=tanggal_data,
        email_kontak=_valid_email(email_kontak.strip()),
        dibuat_oleh=by,
    )
    events.permintaan_dicatat(permintaan, actor)
    return permintaan


# --- drafts ----------------------------------------------------------------------------------------


def _lock(naskah: Naskah) -> Naskah:
    return Naskah.objects.select_for_update().select_related("permintaan").get(pk=naskah.pk)


def _require_draft(naskah: Naskah) -> None:
    if naskah.status != Naskah.Status.DRAF:
        raise _stale(naskah, code="naskah_not_draft")


def _validate_snapshot(snapshot: SnapshotRef) -> None:
    _required(rujukan_snapshot=snapshot.ref)
    if len(snapshot.sha256) != 64 or any(c not in "0123456789abcdef" for c in snapshot.sha256):
        raise ValidationFailed(
            "Checksum snapshot harus berupa SHA-256 (64 karakter heksadesimal).", code="naskah_bad_checksum"
        )
    if snapshot.baris <= 0:
        raise ValidationFailed("Snapshot tanpa baris data tidak dapat dilaporkan.", code="naskah_empty_snapshot")
    if snapshot.sintetis or Snapshot.objects.filter(sha256=snapshot.sha256, sintetis=True).exists():
        raise DomainError(
            f"Snapshot {snapshot.ref} berisi data sintetis (demo) dan tidak boleh dikutip surat. "
            "Pakai snapshot dari register penduduk.",
            code="naskah_synthetic_snapshot",
        )


def _apply_snapshot(naskah: Naskah, snapshot: SnapshotRef) -> None:
    naskah.snapshot_ref = snapshot.ref
    naskah.snapshot_tanggal = snapshot.tanggal
    naskah.snapshot_baris = snapshot.baris
    naskah.snapshot_sha256 = snapshot.sha256


def _attachments_replace(naskah: Naskah, berkas: Sequence[BerkasLampiran]) -> None:
    names = [b.nama for b in berkas]
    if len(set(names)) != len(names) or any(not b.nama.strip() or not b.content for b in berkas):
        raise ValidationFailed("Setiap lampiran harus bernama unik dan tidak kosong.", code="naskah_bad_attachment")
    naskah.lampiran.filter(aktif=True).update(aktif=False)
    for urutan, item in enumerate(berkas, start=1):
        digest = sha256_hex(item.content)
        lampiran = Lampiran(
            naskah=naskah,
            urutan=urutan,
            nama=item.nama,
            judul=item.judul or item.nama,
            content_type=item.content_type,
            sha256=digest,
            ukuran=len(item.content),
        )
        lampiran.berkas.save(f"{naskah.pk}/{digest[:12]}-{item.nama}", ContentFile(item.content), save=False)
        lampiran.save()


def _version_store(naskah: Naskah, *, pdf: bytes, jenis: str, by: User) -> NaskahVersi:
    number = (naskah.versi.aggregate(n=Max("nomor_versi"))["n"] or 0) + 1
    digest = sha256_hex(pdf)
    versi = NaskahVersi(naskah=naskah, nomor_versi=number, jenis=jenis, sha256=digest, ukuran=len(pdf), dibuat_oleh=by)
    versi.berkas.save(f"{naskah.pk}/v{number}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    versi.save()
    return versi


def _penandatangan(holding: RoleHolding) -> Penandatangan:
    user = holding.user
    return Penandatangan(nama=user.display_name, nip=user.nip, prefix=holding.capacity_prefix)


def _draft_render(naskah: Naskah) -> bytes:
    today = _today()
    holders = role_holders_on(role=roles.KEPALA_DINAS, on=today)
    return surat_pengantar_render(
        naskah,
        nomor=nomor_draf(naskah_id=naskah.pk, year=today.year),
        tanggal=today,
        penandatangan=_penandatangan(holders[0]) if holders else None,
        lampiran=list(naskah.lampiran.filter(aktif=True)),
    ).pdf


@transaction.atomic
def naskah_draft(
    *,
    permintaan: PermintaanData,
    by: User,
    snapshot: SnapshotRef,
    lampiran: Sequence[BerkasLampiran] = (),
    perihal: str = "Penyampaian Data Kependudukan",
    sifat: str = Naskah.Sifat.BIASA,
    tembusan: Sequence[str] = (),
) -> Naskah:
    """Draft the Surat Pengantar for `permintaan`, citing `snapshot`, with the report files attached."""
    actor = _acting(by, NASKAH_SUSUN)
    _required(perihal=perihal)
    _validate_snapshot(snapshot)
    if sifat not in Naskah.Sifat.values:
        raise ValidationFailed(f"Sifat surat '{sifat}' tidak dikenal.", code="naskah_bad_sifat")
    naskah = Naskah(
        permintaan=permintaan,
        perihal=perihal.strip(),
        sifat=sifat,
        tembusan=[t.strip() for t in tembusan if t.strip()],
        penyusun=by,
    )
    _apply_snapshot(naskah, snapshot)
    naskah.save()
    _attachments_replace(naskah, lampiran)
    versi = _version_store(naskah, pdf=_draft_render(naskah), jenis=NaskahVersi.Jenis.DRAF, by=by)
    events.naskah_disusun(naskah, versi, actor)
    return naskah


@transaction.atomic
def naskah_revise(
    *,
    naskah: Naskah,
    by: User,
    perihal: str | None = None,
    sifat: str | None = None,
    tembusan: Sequence[str] | None = None,
    snapshot: SnapshotRef | None = None,
    lampiran: Sequence[BerkasLampiran] | None = None,
    expected_sha256: str = "",
) -> NaskahVersi:
    """A new draft version (after a return in the SOP chain): earlier paraf no longer match its hash.
    `expected_sha256` is the version the author's page showed; a newer one makes the form stale."""
    actor = _acting(by, NASKAH_SUSUN)
    naskah = _lock(naskah)
    _require_draft(naskah)
    if expected_sha256 and naskah.versi_terakhir.sha256 != expected_sha256:
        raise _stale(naskah)
    changed = []
    if perihal is not None and perihal.strip() != naskah.perihal:
        _required(perihal=perihal)
        naskah.perihal, changed = perihal.strip(), [*changed, "perihal"]
    if sifat is not None and sifat != naskah.sifat:
        if sifat not in Naskah.Sifat.values:
            raise ValidationFailed(f"Sifat surat '{sifat}' tidak dikenal.", code="naskah_bad_sifat")
        naskah.sifat, changed = sifat, [*changed, "sifat"]
    if tembusan is not None and (cleaned := [t.strip() for t in tembusan if t.strip()]) != naskah.tembusan:
        naskah.tembusan, changed = cleaned, [*changed, "tembusan"]
    if snapshot is not None:
        _validate_snapshot(snapshot)
        _apply_snapshot(naskah, snapshot)
        changed.append("snapshot")
    if lampiran is not None:
        _attachments_replace(naskah, lampiran)
        changed.append("lampiran")
    if not changed:
        raise ValidationFailed("Tidak ada yang diubah pada draf.", code="naskah_nothing_changed")
    naskah.save()
    versi = _version_store(naskah, pdf=_draft_render(naskah), jenis=NaskahVersi.Jenis.DRAF, by=by)
    events.naskah_direvisi(naskah, versi, actor, changed)
    return versi


# --- signature and number ----------------------------------------------------------------------------


def verification_url(token: str) -> str:
    return public_reverse("naskah_publik:verifikasi", token)


def _signing_holding(user: User) -> RoleHolding:
    holding = holding_for(user=user, role=roles.KEPALA_DINAS, on=_today()) if user.is_active else None
    if holding is None:
        raise PermissionDeniedError(
            "Hanya Kepala Dinas (atau Plt./Plh. Kepala Dinas) yang dapat menandatangani naskah.",
            code="naskah_sign_not_kepala_dinas",
        )
    return holding


# --- signing passphrase ----------------------------------------------------------------------------------

PASSPHRASE_LOCKED = "Passphrase terkunci setelah {n} kali salah; hubungi Admin untuk membukanya."


class PassphraseRejected(PermissionDeniedError):
    """A wrong passphrase. It is counted by the outermost `counts_passphrase_failures` call, after the
    signing transaction it happened in has rolled back."""

    code = "naskah_passphrase_wrong"

    def __init__(self, message: str, *, user: User) -> None:
        super().__init__(message)
        self.user = user


_guard_depth = contextvars.ContextVar("passphrase_guard_depth", default=0)


def counts_passphrase_failures[F: Callable](func: F) -> F:
    """Wrap a service that may sign (naskah_sign, the SOP's step_sign). The signing transaction rolls back
    on a wrong passphrase, so the failure is recorded afterwards, in its own transaction, by the outermost
    wrapped call; a guess is never free."""

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        depth = _guard_depth.set(_guard_depth.get() + 1)
        try:
            return func(*args, **kwargs)
        except PassphraseRejected as rejected:
            if _guard_depth.get() == 1:
                _passphrase_failure_record(rejected.user)
            raise
        finally:
            _guard_depth.reset(depth)

    return guarded  # type: ignore[return-value]


@transaction.atomic
def _passphrase_failure_record(user: User) -> None:
    record = SigningPassphrase.objects.select_for_update().get(user=user)
    record.gagal += 1
    if record.gagal >= PASSPHRASE_TRIES and record.terkunci_pada is None:
        record.terkunci_pada = timezone.now()
    record.save(update_fields=["gagal", "terkunci_pada"])
    events.passphrase_salah(record, Actor(user))


def _passphrase_verify(user: User, passphrase: str) -> SigningPassphrase:
    """The user's passphrase record if `passphrase` is right; otherwise a refusal (counted by the guard)."""
    record = SigningPassphrase.objects.filter(user=user).first()
    if record is None:
        raise PermissionDeniedError(
            "Anda belum mengatur passphrase penandatanganan. Atur dulu di halaman Passphrase, lalu tandatangani.",
            code="naskah_passphrase_not_set",
        )
    if record.terkunci_pada is not None:
        raise PermissionDeniedError(PASSPHRASE_LOCKED.format(n=PASSPHRASE_TRIES), code="naskah_passphrase_locked")
    if not passphrase or not PASSPHRASE_HASHER.verify(passphrase, record.hash):
        left = PASSPHRASE_TRIES - record.gagal - 1
        message = (
            f"Passphrase salah. Sisa {left} kali percobaan sebelum passphrase terkunci."
            if left > 0
            else "Passphrase salah. " + PASSPHRASE_LOCKED.format(n=PASSPHRASE_TRIES)
        )
        raise PassphraseRejected(message, user=user)
    return record


@transaction.atomic
def passphrase_set(*, user: User, baru: str, ulang: str, lama: str = "") -> SigningPassphrase:
    """Set the signing passphrase on first use, or change it with the old one (`lama`)."""
    actor = _acting(user, PASSPHRASE_ATUR)
    record = SigningPassphrase.objects.select_for_update().filter(user=user).first()
    if record is not None:
        if record.terkunci_pada is not None:
            raise PermissionDeniedError(PASSPHRASE_LOCKED.format(n=PASSPHRASE_TRIES), code="naskah_passphrase_locked")
        if not lama or not PASSPHRASE_HASHER.verify(lama, record.hash):
            raise ValidationFailed("Passphrase lama salah.", code="naskah_passphrase_old_wrong")
    if len(baru) < PASSPHRASE_MIN_LENGTH:
        raise ValidationFailed(
            f"Passphrase minimal {PASSPHRASE_MIN_LENGTH} karakter.", code="naskah_passphrase_too_short"
        )
    if baru != ulang:
        raise ValidationFailed("Kedua isian passphrase baru tidak sama.", code="naskah_passphrase_mismatch")
    if user.check_password(baru):
        raise ValidationFailed("Passphrase harus berbeda dari kata sandi masuk.", code="naskah_passphrase_is_password")
    changed = record is not None
    record = record or SigningPassphrase(user=user)
    record.hash = make_password(baru, hasher=PASSPHRASE_HASHER)
    record.gagal = 0
    record.save()
    events.passphrase_diatur(record, actor, changed=changed)
    return record


@transaction.atomic
def passphrase_unlock(*, record: SigningPassphrase, by: User) -> SigningPassphrase:
    """The Admin unlocks a passphrase locked after too many wrong tries (the signer keeps the same one)."""
    actor = _acting(by, PASSPHRASE_BUKA)
    record = SigningPassphrase.objects.select_for_update().select_related("user").get(pk=record.pk)
    if record.terkunci_pada is None:
        raise DomainError(f"Passphrase {record.user.display_name} tidak terkunci.", code="naskah_passphrase_not_locked")
    record.gagal, record.terkunci_pada = 0, None
    record.save(update_fields=["gagal", "terkunci_pada"])
    events.passphrase_dibuka(record, actor)
    return record


def _verification_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


@counts_passphrase_failures
@transaction.atomic
def naskah_sign(*, naskah: Naskah, by: User, passphrase: str, expected_sha256: str = "") -> NaskahVersi:
    """Number, render and sign the final letter. The signer proves it is them with their signing
    passphrase. `expected_sha256` is the draft version the signer (and the paraf before them) saw;
    signing fails if the draft changed since."""
    holding = _signing_holding(by)
    passphrase_record = _passphrase_verify(by, passphrase)
    naskah = _lock(naskah)
    _require_draft(naskah)
    if naskah.versi.filter(dibuat_oleh=by).exists():
        raise PermissionDeniedError(
            "Anda tidak dapat menandatangani naskah yang Anda susun sendiri.", code="naskah_sign_own_draft"
        )
    draft = naskah.versi_terakhir
    if expected_sha256 and draft.sha256 != expected_sha256:
        raise DomainError(
            "Draf telah berubah sejak Anda memeriksanya. Periksa versi terbaru sebelum menandatangani.",
            code="naskah_version_changed",
        )
    signer = get_signer()  # before a number is taken: an unconfigured signer must not consume one
    signed_at = timezone.now()
    today = timezone.localdate(signed_at)
    seq = counter_take(jenis=SURAT, tahun=today.year)
    naskah.tahun, naskah.nomor_urut, naskah.tanggal = today.year, seq, today
    naskah.nomor = nomor_final(seq=seq, year=today.year)
    naskah.penandatangan, naskah.penandatangan_kedudukan = by, holding.capacity
    naskah.token_verifikasi = _verification_token()
    penandatangan = _penandatangan(holding)
    rendered = surat_pengantar_render(
        naskah,
        nomor=naskah.nomor,
        tanggal=today,
        penandatangan=penandatangan,
        lampiran=list(naskah.lampiran.filter(aktif=True)),
        verification_url=verification_url(naskah.token_verifikasi),
    )
    signed = signer.sign(
        rendered.pdf,
        signer_name=penandatangan.nama,
        reason=f"{penandatangan.jabatan}: Surat Pengantar {naskah.nomor}",
        location="Palembang",
        signed_at=signed_at,
        box=rendered.signature_box,
    )
    naskah.status, naskah.ditandatangani_pada = Naskah.Status.DITANDATANGANI, signed_at
    naskah.save()
    if passphrase_record.gagal:
        SigningPassphrase.objects.filter(pk=passphrase_record.pk).update(gagal=0)  # a right one ends the run
    versi = _version_store(naskah, pdf=signed, jenis=NaskahVersi.Jenis.FINAL, by=by)
    events.naskah_ditandatangani(naskah, versi, _actor_for(holding), draft.sha256)
    return versi


# --- withdrawal of a signed letter, void of a draft ---------------------------------------------------


def _withdrawing_holding(user: User) -> RoleHolding:
    holding = holding_for(user=user, role=roles.KEPALA_DINAS, on=_today()) if user.is_active else None
    if holding is None:
        raise PermissionDeniedError(
            "Hanya Kepala Dinas (atau Plt./Plh. Kepala Dinas) yang dapat mencabut surat.",
            code="naskah_withdraw_not_kepala_dinas",
        )
    return holding


@transaction.atomic
def naskah_withdraw(*, naskah: Naskah, by: User, alasan: str, expected_seq: int | None = None) -> Naskah:
    """Withdraw (cabut) a signed letter: it keeps its number and stays in the register and archive, every
    further delivery is refused, and the public verification page says DICABUT with the date and reason."""
    holding = _withdrawing_holding(by)
    naskah = _lock(naskah)
    if naskah.status == Naskah.Status.DICABUT:
        raise _stale(naskah, code="naskah_already_withdrawn")
    if naskah.status not in Naskah.SIGNED:
        raise DomainError(
            "Hanya surat yang sudah ditandatangani yang dapat dicabut; draf dibatalkan bersama berkasnya.",
            code="naskah_not_signed",
        )
    _refuse_if_stale(naskah, expected_seq)
    if not alasan.strip():
        raise ValidationFailed("Alasan pencabutan wajib diisi.", code="naskah_withdraw_reason_required")
    previous = naskah.status
    naskah.status, naskah.dicabut_pada, naskah.dicabut_oleh = Naskah.Status.DICABUT, timezone.now(), by
    naskah.dicabut_kedudukan, naskah.alasan_cabut = holding.capacity, alasan.strip()
    naskah.save()
    events.naskah_dicabut(naskah, _actor_for(holding), signed_version(naskah).sha256, previous)
    arsip = Arsip.objects.filter(naskah=naskah).first()
    if arsip is not None:
        _archive_trail_store(arsip, naskah, by=by, suffix="-pencabutan")
    return naskah


@transaction.atomic
def naskah_draft_void(*, naskah: Naskah, by: User, alasan: str) -> Naskah:
    """Void a draft whose case was cancelled: no longer editable, signable or sendable. A signed letter
    must be withdrawn by the Kepala Dinas instead."""
    actor = _acting(by, NASKAH_BATAL)
    naskah = _lock(naskah)
    if naskah.status == Naskah.Status.DIBATALKAN:
        raise _stale(naskah, code="naskah_already_void")
    if naskah.status == Naskah.Status.DICABUT:
        raise _stale(naskah, code="naskah_already_withdrawn")
    if naskah.status != Naskah.Status.DRAF:
        raise DomainError(
            f"Surat {naskah.nomor} sudah ditandatangani; Kepala Dinas harus mencabutnya lebih dahulu.",
            code="naskah_signed_needs_withdrawal",
        )
    if not alasan.strip():
        raise ValidationFailed("Alasan pembatalan wajib diisi.", code="naskah_void_reason_required")
    naskah.status, naskah.dibatalkan_pada, naskah.dibatalkan_oleh = Naskah.Status.DIBATALKAN, timezone.now(), by
    naskah.alasan_batal = alasan.strip()
    naskah.save()
    events.naskah_dibatalkan(naskah, actor, naskah.versi_terakhir.sha256)
    return naskah


# --- numbers reserved for paper work during an outage -----------------------------------------------


@transaction.atomic
def nomor_block_reserve(*, by: User, jumlah: int, alasan: str) -> BlokNomor:
    """Take `jumlah` consecutive final numbers of this year for letters written on paper."""
    actor = _acting(by, NOMOR_CADANGAN)
    _required(alasan=alasan)
    if not 1 <= jumlah <= MAX_BLOCK:
        raise ValidationFailed(f"Jumlah nomor cadangan harus antara 1 dan {MAX_BLOCK}.", code="nomor_block_bad_size")
    tahun = _today().year
    first = counter_take(jenis=SURAT, tahun=tahun, count=jumlah)
    blok = BlokNomor.objects.create(
        tahun=tahun, mulai=first, selesai=first + jumlah - 1, alasan=alasan.strip(), dipesan_oleh=by
    )
    NomorCadangan.objects.bulk_create(
        NomorCadangan(blok=blok, tahun=tahun, nomor_urut=seq, nomor=nomor_final(seq=seq, year=tahun))
        for seq in range(blok.mulai, blok.selesai + 1)
    )
    events.blok_nomor_dipesan(blok, actor)
    return blok


def _lock_reserved(nomor: NomorCadangan, expected_status: str | None) -> NomorCadangan:
    """Lock a reserved number still to be reconciled; `expected_status` is what the author's page showed."""
    nomor = NomorCadangan.objects.select_for_update().select_related("blok").get(pk=nomor.pk)
    if nomor.status != NomorCadangan.Status.TERSEDIA or expected_status not in (None, nomor.status):
        who = nomor.direkonsiliasi_oleh.display_name if nomor.direkonsiliasi_oleh else "petugas lain"
        when = waktu_wib(nomor.direkonsiliasi_pada)
        raise DomainError(
            f"Nomor {nomor.nomor} sudah direkonsiliasi ({nomor.get_status_display().lower()}) oleh {who} "
            f"pada {when}. Muat ulang halaman.",
            code="nomor_already_reconciled",
        )
    return nomor


def _reconciled(nomor: NomorCadangan, by: User, **fields) -> NomorCadangan:
    for name, value in fields.items():
        setattr(nomor, name, value)
    nomor.direkonsiliasi_oleh, nomor.direkonsiliasi_pada = by, timezone.now()
    nomor.save()
    return nomor


@transaction.atomic
def nomor_reserved_use(
    *,
    nomor: NomorCadangan,
    by: User,
    perihal: str,
    tujuan: str,
    tanggal_surat: date,
    expected_status: str | None = None,
) -> NomorCadangan:
    """Record the paper letter that went out under a reserved number."""
    actor = _acting(by, NOMOR_CADANGAN)
    nomor = _lock_reserved(nomor, expected_status)
    _required(perihal=perihal, tujuan=tujuan)
    reserved_on = timezone.localtime(nomor.blok.dipesan_pada).date()
    if not reserved_on <= tanggal_surat <= _today():
        raise ValidationFailed(
            f"Tanggal surat kertas harus antara {tanggal_indonesia(reserved_on)} (nomor dipesan) dan hari ini.",
            code="nomor_reserved_bad_date",
        )
    nomor = _reconciled(
        nomor,
        by,
        status=NomorCadangan.Status.DIPAKAI,
        perihal=perihal.strip(),
        tujuan=tujuan.strip(),
        tanggal_surat=tanggal_surat,
    )
    events.nomor_cadangan_dipakai(nomor, actor)
    return nomor


@transaction.atomic
def nomor_reserved_void(
    *, nomor: NomorCadangan, by: User, alasan: str, expected_status: str | None = None
) -> NomorCadangan:
    """A reserved number no paper letter used: void it, with the reason, so it is accounted for."""
    actor = _acting(by, NOMOR_CADANGAN)
    nomor = _lock_reserved(nomor, expected_status)
    _required(alasan=alasan)
    nomor = _reconciled(nomor, by, status=NomorCadangan.Status.BATAL, alasan_batal=alasan.strip())
    events.nomor_cadangan_dibatalkan(nomor, actor)
    return nomor


# --- delivery ------------------------------------------------------------------------------------------


def _signed_version(naskah: Naskah) -> NaskahVersi:
    versi = signed_version(naskah)
    if versi is None:
        raise DomainError("Naskah belum ditandatangani sehingga belum dapat dikirim.", code="naskah_not_signed")
    return versi


def _refuse_if_withdrawn(naskah: Naskah) -> None:
    if naskah.status == Naskah.Status.DICABUT:
        raise DomainError(
            f"Surat {naskah.nomor} telah dicabut pada {waktu_wib(naskah.dicabut_pada)} "
            f"({naskah.alasan_cabut}) dan tidak dapat dikirim lagi.",
            code="naskah_withdrawn",
        )


def _delivery_create(
    naskah: Naskah,
    *,
    by: User,
    cara: str,
    kepada: str,
    tautan_unduh: bool,
    berlaku_hari: int | None,
    expected_seq: int | None,
) -> tuple[Pengiriman, NaskahVersi, Actor]:
    actor = _acting(by, NASKAH_KIRIM)
    if cara == Pengiriman.Cara.SUREL:
        kepada = _valid_email(kepada.strip())
    naskah = _lock(naskah)
    _refuse_if_withdrawn(naskah)
    versi = _signed_version(naskah)
    if naskah.status == Naskah.Status.DIARSIPKAN:
        raise DomainError("Naskah sudah diarsipkan; pengiriman ditutup.", code="naskah_archived")
    _refuse_if_stale(naskah, expected_seq)
    days = berlaku_hari or settings.PIAK_TAUTAN_BERLAKU_HARI
    if not 1 <= days <= 90:
        raise ValidationFailed("Masa berlaku tautan harus 1 sampai 90 hari.", code="pengiriman_bad_expiry")
    pengiriman = Pengiriman.objects.create(
        naskah=naskah,
        cara=cara,
        kepada=kepada,
        tautan_unduh=tautan_unduh,
        kedaluwarsa=timezone.now() + timedelta(days=days),
        dikirim_oleh=by,
    )
    if naskah.status == Naskah.Status.DITANDATANGANI:
        naskah.status = Naskah.Status.DIKIRIM
        naskah.save(update_fields=["status"])
    return pengiriman, versi, actor


def _letter_filename(naskah: Naskah) -> str:
    return "Surat-Pengantar-" + naskah.nomor.replace("/", "-") + ".pdf"


def download_url(pengiriman: Pengiriman) -> str:
    """The agency's page for a delivery: download (while the link is valid) and acknowledgement."""
    return public_reverse("naskah_publik:unduh", delivery_token(pengiriman))


def _delivery_links(pengiriman: Pengiriman) -> dict[str, str]:
    return {
        "unduh": download_url(pengiriman),
        "verifikasi": verification_url(pengiriman.naskah.token_verifikasi),
    }


@transaction.atomic
def naskah_send_email(
    *,
    naskah: Naskah,
    by: User,
    kepada: str,
    tautan_unduh: bool = True,
    berlaku_hari: int | None = None,
    expected_seq: int | None = None,
) -> Pengiriman:
    """Email the signed letter and its attachments to the agency through the configured SMTP mailer.
    The message carries the acknowledgement link (and the download link when `tautan_unduh`)."""
    pengiriman, versi, actor = _delivery_create(
        naskah, by=by, cara=Pengiriman.Cara.SUREL, kepada=kepada, tautan_unduh=tautan_unduh,
        berlaku_hari=berlaku_hari, expected_seq=expected_seq,
    )  # fmt: skip
    naskah = pengiriman.naskah
    message = EmailMessage(
        subject=f"Surat Pengantar {naskah.nomor} — Disdukcapil Kota Palembang",
        body=render_to_string(
            "naskah/surel_pengiriman.txt",
            {
                "naskah": naskah,
                "pengiriman": pengiriman,
                "tanggal": tanggal_indonesia(naskah.tanggal),
                "kedaluwarsa": tanggal_indonesia(timezone.localtime(pengiriman.kedaluwarsa).date()),
                **_delivery_links(pengiriman),
            },
        ),
        to=[kepada],
    )
    message.attach(_letter_filename(naskah), versi.berkas.open("rb").read(), "application/pdf")
    for lampiran in naskah.lampiran.filter(aktif=True):
        with lampiran.berkas.open("rb") as handle:
            message.attach(lampiran.nama, handle.read(), lampiran.content_type)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise DomainError(
            f"Surel tidak dapat dikirim ({error}). Periksa alamat dan server surel, atau kirim lewat tautan unduh.",
            code="pengiriman_surel_gagal",
        ) from error
    events.naskah_dikirim(pengiriman, actor, versi.sha256)
    return pengiriman


@transaction.atomic
def naskah_send_link(
    *, naskah: Naskah, by: User, berlaku_hari: int | None = None, expected_seq: int | None = None
) -> Pengiriman:
    """A time-limited download link for the agency (the officer passes it on)."""
    pengiriman, versi, actor = _delivery_create(
        naskah,
        by=by,
        cara=Pengiriman.Cara.TAUTAN,
        kepada="",
        tautan_unduh=True,
        berlaku_hari=berlaku_hari,
        expected_seq=expected_seq,
    )
    events.naskah_dikirim(pengiriman, actor, versi.sha256)
    return pengiriman


@transaction.atomic
def pengiriman_acknowledge(
    *,
    pengiriman: Pengiriman,
    nama_penerima: str,
    by: User | None = None,
    catatan: str = "",
    expected_seq: int | None = None,
) -> Pengiriman:
    """Record that the agency received the letter: through the link in the message (`by` None) or
    entered by an officer from a paper receipt or a phone call (`by` the officer)."""
    actor = _acting(by, NASKAH_KIRIM) if by is not None else Actor(None)
    naskah = _lock(pengiriman.naskah)
    pengiriman = Pengiriman.objects.select_for_update().select_related("naskah").get(pk=pengiriman.pk)
    if pengiriman.diterima_pada is not None:
        via = f"oleh {pengiriman.diterima_oleh} " if pengiriman.diterima_oleh else ""
        raise DomainError(
            f"Penerimaan sudah dicatat {via}pada {waktu_wib(pengiriman.diterima_pada)}. Muat ulang halaman.",
            code="pengiriman_already_acknowledged",
        )
    _refuse_if_stale(naskah, expected_seq)
    _required(nama_penerima=nama_penerima)
    pengiriman.diterima_pada = timezone.now()
    pengiriman.diterima_oleh = nama_penerima.strip()
    pengiriman.diterima_via = "petugas" if by is not None else "tautan"
    pengiriman.catatan_terima = catatan.strip()
    pengiriman.save()
    if naskah.status == Naskah.Status.DIKIRIM:
        naskah.status = Naskah.Status.DITERIMA
        naskah.save(update_fields=["status"])
    events.naskah_diterima(pengiriman, actor)
    return pengiriman


# --- archive ---------------------------------------------------------------------------------------------


def _archive_file(arsip: Arsip, *, peran: str, nama: str, content: bytes) -> ArsipBerkas:
    digest = sha256_hex(content)
    berkas = ArsipBerkas(arsip=arsip, peran=peran, nama=nama, sha256=digest, ukuran=len(content))
    berkas.berkas.save(f"{arsip.tahun}/{arsip.nomor_urut:04d}/{nama}", ContentFile(content), save=False)
    berkas.save()
    return berkas


def _verified_bytes(field_file, expected: str, label: str) -> bytes:
    with field_file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != expected:
        raise DomainError(
            f"Berkas {label} tidak cocok dengan kode hash yang tercatat; arsip dibatalkan. Jalankan "
            "`piak verify-archive` dan hubungi admin.",
            code="naskah_archive_corrupt_source",
        )
    return content


def _archive_trail_store(arsip: Arsip, naskah: Naskah, *, by: User, suffix: str = "") -> None:
    """The audit trail (JSON) and the archive sheet (PDF, with the readable trail) as archive files.
    A withdrawal after archiving adds a second pair (`suffix`); stored files are never rewritten."""
    trail = json.dumps(audit_trail_export(naskah), indent=2, ensure_ascii=False).encode()
    _archive_file(arsip, peran=ArsipBerkas.Peran.JEJAK_AUDIT, nama=f"jejak-audit{suffix}.json", content=trail)
    sheet = render_pdf(
        "naskah/cetak/lembar_arsip.html",
        {
            "arsip": arsip,
            "naskah": naskah,
            "berkas": list(arsip.berkas.order_by("id")),
            "jejak": audit_trail_rows(naskah),
            "tanggal": tanggal_indonesia(_today()),
            "tanggal_surat": tanggal_indonesia(naskah.tanggal),
            "tanggal_data": tanggal_indonesia(naskah.snapshot_tanggal),
            "jumlah_baris": angka(naskah.snapshot_baris),
            "pengiriman": list(naskah.pengiriman.order_by("dikirim_pada")),
            "petugas": by,
            "qr": qr_data_uri(verification_url(naskah.token_verifikasi)),
            "verification_url": verification_url(naskah.token_verifikasi),
        },
    )
    _archive_file(arsip, peran=ArsipBerkas.Peran.LEMBAR_ARSIP, nama=f"lembar-arsip{suffix}.pdf", content=sheet)


@transaction.atomic
def naskah_archive(*, naskah: Naskah, by: User, expected_seq: int | None = None) -> Arsip:
    """Keep the signed letter, its attachments, the snapshot reference and its audit trail together,
    with a printable archive sheet whose register number links the paper file to this record."""
    actor = _acting(by, NASKAH_ARSIP)
    naskah = _lock(naskah)
    if naskah.status == Naskah.Status.DIARSIPKAN:
        raise _stale(naskah, code="naskah_already_archived")
    _refuse_if_withdrawn(naskah)
    if naskah.status not in (Naskah.Status.DIKIRIM, Naskah.Status.DITERIMA):
        raise DomainError("Naskah baru dapat diarsipkan setelah dikirim ke instansi.", code="naskah_not_sent")
    _refuse_if_stale(naskah, expected_seq)
    today = _today()
    seq = counter_take(jenis=ARSIP, tahun=today.year)
    arsip = Arsip.objects.create(
        naskah=naskah,
        tahun=today.year,
        nomor_urut=seq,
        nomor_register=nomor_register_arsip(seq=seq, year=today.year),
        diarsipkan_oleh=by,
    )
    versi = _signed_version(naskah)
    _archive_file(
        arsip,
        peran=ArsipBerkas.Peran.SURAT,
        nama=_letter_filename(naskah),
        content=_verified_bytes(versi.berkas, versi.sha256, "surat"),
    )
    for lampiran in naskah.lampiran.filter(aktif=True):
        content = _verified_bytes(lampiran.berkas, lampiran.sha256, lampiran.nama)
        _archive_file(arsip, peran=ArsipBerkas.Peran.LAMPIRAN, nama=lampiran.nama, content=content)
    _archive_trail_store(arsip, naskah, by=by)
    naskah.status = Naskah.Status.DIARSIPKAN
    naskah.save(update_fields=["status"])
    events.naskah_diarsipkan(arsip, actor)
    audit_checkpoint_after_commit(alasan=f"arsip {arsip.nomor_register}")
    return arsip
