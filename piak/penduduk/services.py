"""Writes of the penduduk app."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import yaml
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from piak.core.audit import Actor
from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.masking import REGION_DIGITS, identity_numbers_mask
from piak.core.models import User
from piak.core.permissions import user_may
from piak.core.waktu import waktu_wib
from piak.web.uploads import upload_check
from piak.wilayah.models import Kelurahan

from . import events
from .koreksi import KOREKSI_DOKUMEN, as_text, kolom_get, name_clean, value_clean
from .models import (
    AksesDataPribadi,
    Impor,
    JenisPeristiwa,
    Keluarga,
    KodeReferensi,
    KoreksiData,
    Penduduk,
    Peristiwa,
    StatusPenduduk,
    TingkatPindah,
)
from .nik import NikError, clean_number, nik_check
from .selectors import penduduk_search, present_members

if TYPE_CHECKING:
    from .impor.run import ImportResult, Progress


class SearchRateExceeded(DomainError):
    """Too many register searches in a minute (HTTP 429 on the page)."""

    code = "penduduk_cari_terlalu_sering"


CODES_FILE = Path(__file__).parent / "data" / "reference-codes.yaml"


def _is_code_table(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, int) for k in value)


def reference_code_tables() -> dict[str, dict[int, str]]:
    """Every code table of the YAML file: `name.codes` becomes `name`, nested tables `name.sub`."""
    document = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    tables: dict[str, dict[int, str]] = {}
    for name, entry in document.items():
        if not isinstance(entry, dict):
            continue
        for key, value in entry.items():
            if _is_code_table(value):
                tables[name if key == "codes" else f"{name}.{key}"] = value
    return tables


def _aliases(document_entry: dict) -> dict[int, list[str]]:
    by_code: dict[int, list[str]] = {}
    for label, code in (document_entry.get("import_aliases") or {}).items():
        by_code.setdefault(code, []).append(str(label))
    return by_code


@transaction.atomic
def kode_referensi_load() -> int:
    """Create or update every reference code; returns how many codes the tables hold."""
    document = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    count = 0
    for tabel, codes in reference_code_tables().items():
        aliases = _aliases(document.get(tabel, {})) if "." not in tabel else {}
        for kode, label in codes.items():
            KodeReferensi.objects.update_or_create(
                tabel=tabel, kode=kode, defaults={"label": str(label), "alias": aliases.get(kode, [])}
            )
            count += 1
    return count


def kode_referensi_load_on_migrate(**kwargs) -> None:
    expected = sum(len(codes) for codes in reference_code_tables().values())
    if KodeReferensi.objects.count() != expected:
        kode_referensi_load()


def penduduk_import(
    *,
    path: Path,
    skip_invalid: bool = False,
    report_path: Path | None = None,
    actor: Actor | None = None,
    progress: "Progress | None" = None,
    encoding: str = "utf-8",
    check_only: bool = False,
) -> "ImportResult":
    """Import a SIAK export (IMPORT-FORMAT.md), applied in one short transaction; write the report if
    asked. A CSV that is not valid UTF-8 is read as `encoding` ("utf-8" refuses it, "windows-1252" reads it
    as such).

    Not wrapped in `transaction.atomic` here: `import_file` owns its transaction so that a rejected
    file rolls back while the report of its problems is still returned.
    """
    from .impor.report import report_write
    from .impor.run import import_file

    result = import_file(
        path, skip_invalid=skip_invalid, actor=actor, progress=progress, encoding=encoding, check_only=check_only
    )
    if report_path is not None:
        report_write(report_path, result.issues, result.totals())
    return result


# -- events (SOP 2: entri data dan perekaman) ------------------------------------------------------


def _event_dates_check(*, tanggal: date, tanggal_lapor: date) -> None:
    today = timezone.localdate()
    if tanggal > today:
        raise ValidationFailed("Tanggal peristiwa tidak boleh di masa depan.", code="peristiwa_masa_depan")
    if tanggal_lapor < tanggal:
        raise ValidationFailed(
            "Tanggal lapor tidak boleh sebelum tanggal peristiwa.", code="peristiwa_lapor_sebelum_peristiwa"
        )
    if tanggal_lapor > today:
        raise ValidationFailed("Tanggal lapor tidak boleh di masa depan.", code="peristiwa_lapor_masa_depan")


def _retired_check(penduduk: Penduduk, what: str) -> None:
    if penduduk.status == StatusPenduduk.GANDA:
        raise ValidationFailed(
            f"NIK {penduduk.nik} sudah dinonaktifkan sebagai data ganda; {what} dicatat pada data yang dipertahankan.",
            code="peristiwa_data_ganda",
        )


def _present_check(penduduk: Penduduk, tanggal: date, what: str) -> None:
    """Death and move out need a resident who is in the city on that day."""
    _retired_check(penduduk, what)
    if penduduk.status == StatusPenduduk.MATI:
        raise ValidationFailed(
            f"{penduduk.nama} sudah tercatat meninggal pada {penduduk.hadir_sampai:%d-%m-%Y}; "
            f"{what} tidak dapat dicatat.",
            code="peristiwa_sudah_mati",
        )
    if penduduk.status == StatusPenduduk.PINDAH:
        raise ValidationFailed(
            f"{penduduk.nama} sudah pindah keluar pada {penduduk.hadir_sampai:%d-%m-%Y}; {what} dicatat "
            f"oleh daerah tujuan, atau catat dulu pindah masuk bila ia kembali.",
            code="peristiwa_sudah_pindah",
        )
    if penduduk.tanggal_lahir and tanggal < penduduk.tanggal_lahir:
        raise ValidationFailed(
            f"Tanggal {what} sebelum tanggal lahir {penduduk.tanggal_lahir:%d-%m-%Y}.",
            code="peristiwa_sebelum_lahir",
        )
    if penduduk.hadir_sejak and tanggal < penduduk.hadir_sejak:
        raise ValidationFailed(
            f"Tanggal {what} sebelum {penduduk.nama} tercatat di Kota Palembang ({penduduk.hadir_sejak:%d-%m-%Y}).",
            code="peristiwa_sebelum_hadir",
        )


def _nik_new(nik: str) -> str:
    try:
        nik = clean_number(nik)
        nik_check(nik)
    except NikError as error:
        raise ValidationFailed(error.message, code=error.code) from None
    return nik


def _peristiwa_create(
    *, penduduk: Penduduk, jenis: str, tanggal: date, tanggal_lapor: date, actor: Actor, **fields
) -> Peristiwa:
    peristiwa = Peristiwa.objects.create(
        penduduk=penduduk,
        jenis=jenis,
        tanggal_peristiwa=tanggal,
        tanggal_lapor=tanggal_lapor,
        kelurahan_id=penduduk.keluarga.kelurahan_id,
        dicatat_oleh=actor.user,
        **fields,
    )
    events.event_recorded(actor, peristiwa)
    return peristiwa


@transaction.atomic
def kelahiran_catat(
    *,
    keluarga: Keluarga,
    nik: str,
    nama: str,
    jenis_kelamin: int,
    tempat_lahir: str,
    tanggal_lahir: date,
    tanggal_lapor: date,
    ibu: Penduduk | None = None,
    ayah: Penduduk | None = None,
    actor: Actor,
) -> Penduduk:
    """Register a birth into a family: a new resident present from the day of birth."""
    _event_dates_check(tanggal=tanggal_lahir, tanggal_lapor=tanggal_lapor)
    keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
    head = present_members(keluarga).filter(shdk=1).first()
    if head is None:
        raise ValidationFailed(
            f"Keluarga {keluarga.no_kk} tidak mempunyai kepala keluarga yang tercatat hadir.",
            code="kelahiran_keluarga_tanpa_kepala",
        )
    nik = _nik_new(nik)
    if Penduduk.objects.filter(nik=nik).exists():
        raise ValidationFailed(f"NIK {nik} sudah dipakai penduduk lain.", code="kelahiran_nik_terpakai")
    for parent, sex, role in ((ibu, 2, "Ibu"), (ayah, 1, "Ayah")):
        if parent is None:
            continue
        if parent.jenis_kelamin != sex:
            raise ValidationFailed(f"{role} yang dipilih berjenis kelamin lain.", code="kelahiran_orang_tua_salah")
        if parent.hadir_sampai and parent.hadir_sampai < tanggal_lahir and parent.status == StatusPenduduk.PINDAH:
            raise ValidationFailed(
                f"{role} sudah pindah keluar sebelum tanggal lahir.", code="kelahiran_orang_tua_tidak_hadir"
            )
        if ibu is parent and parent.status == StatusPenduduk.MATI and parent.hadir_sampai < tanggal_lahir:
            raise ValidationFailed(
                "Ibu sudah tercatat meninggal sebelum tanggal lahir.", code="kelahiran_orang_tua_tidak_hadir"
            )
    nama = name_clean(nama)
    penduduk = Penduduk.objects.create(
        nik=nik,
        keluarga=keluarga,
        nama=nama,
        jenis_kelamin=jenis_kelamin,
        tempat_lahir=tempat_lahir.strip().upper(),
        tanggal_lahir=tanggal_lahir,
        agama=head.agama,
        status_kawin=1,
        shdk=4,
        nik_ibu=ibu.nik if ibu else "",
        nama_ibu=ibu.nama if ibu else "",
        nik_ayah=ayah.nik if ayah else "",
        nama_ayah=ayah.nama if ayah else "",
        status_ktp=1,
        hadir_sejak=tanggal_lahir,
    )
    _peristiwa_create(
        penduduk=penduduk,
        jenis=JenisPeristiwa.LAHIR,
        tanggal=tanggal_lahir,
        tanggal_lapor=tanggal_lapor,
        actor=actor,
    )
    return penduduk


def _locked(penduduk: Penduduk) -> Penduduk:
    return Penduduk.objects.select_for_update().select_related("keluarga").get(pk=penduduk.pk)


@transaction.atomic
def kematian_catat(
    *, penduduk: Penduduk, tanggal: date, tanggal_lapor: date, keterangan: str = "", actor: Actor
) -> Peristiwa:
    """Record a death: the resident leaves the register on that day."""
    penduduk = _locked(penduduk)
    _event_dates_check(tanggal=tanggal, tanggal_lapor=tanggal_lapor)
    _present_check(penduduk, tanggal, "kematian")
    penduduk.status, penduduk.hadir_sampai = StatusPenduduk.MATI, tanggal
    penduduk.save(update_fields=["status", "hadir_sampai"])
    return _peristiwa_create(
        penduduk=penduduk,
        jenis=JenisPeristiwa.MATI,
        tanggal=tanggal,
        tanggal_lapor=tanggal_lapor,
        actor=actor,
        keterangan=keterangan,
    )


@transaction.atomic
def pindah_keluar_catat(
    *,
    penduduk: Penduduk,
    tanggal: date,
    tanggal_lapor: date,
    tingkat: int,
    alamat_tujuan: str,
    actor: Actor,
) -> Peristiwa:
    """Record a move out to another kelurahan, kecamatan, city or province."""
    penduduk = _locked(penduduk)
    _event_dates_check(tanggal=tanggal, tanggal_lapor=tanggal_lapor)
    _present_check(penduduk, tanggal, "pindah keluar")
    if tingkat not in TingkatPindah.values:
        raise ValidationFailed("Tujuan pindah tidak dikenal.", code="pindah_tingkat_tidak_dikenal")
    if not alamat_tujuan.strip():
        raise ValidationFailed("Alamat tujuan pindah wajib diisi.", code="pindah_tujuan_kosong")
    penduduk.status, penduduk.hadir_sampai = StatusPenduduk.PINDAH, tanggal
    penduduk.save(update_fields=["status", "hadir_sampai"])
    return _peristiwa_create(
        penduduk=penduduk,
        jenis=JenisPeristiwa.PINDAH_KELUAR,
        tanggal=tanggal,
        tanggal_lapor=tanggal_lapor,
        actor=actor,
        tingkat_pindah=tingkat,
        asal_tujuan=alamat_tujuan.strip(),
    )


@dataclass(frozen=True)
class KeluargaBaru:
    """A family card created by a move in: its number, region and address."""

    no_kk: str
    kelurahan_id: str
    rw: int
    rt: int
    alamat: str


@dataclass(frozen=True)
class DataPendatang:
    """Who moves in (the fields a newcomer's SKPWNI carries)."""

    nik: str
    nama: str
    jenis_kelamin: int
    tempat_lahir: str
    tanggal_lahir: date
    agama: int
    status_kawin: int
    shdk: int


@transaction.atomic
def pindah_masuk_catat(
    *,
    data: DataPendatang,
    tanggal: date,
    tanggal_lapor: date,
    alamat_asal: str,
    keluarga: Keluarga | None = None,
    keluarga_baru: KeluargaBaru | None = None,
    actor: Actor,
) -> Penduduk:
    """Record a move in, into an existing family or a new one (whose head the newcomer becomes)."""
    _event_dates_check(tanggal=tanggal, tanggal_lapor=tanggal_lapor)
    if (keluarga is None) == (keluarga_baru is None):
        raise ValidationFailed("Pilih keluarga tujuan atau isi data KK baru.", code="pindah_masuk_keluarga")
    nik = _nik_new(data.nik)
    if data.tanggal_lahir > tanggal:
        raise ValidationFailed("Tanggal pindah masuk sebelum tanggal lahir.", code="peristiwa_sebelum_lahir")
    existing = Penduduk.objects.select_for_update().filter(nik=nik).first()
    _returning_check(existing, tanggal)
    target = _target_family(keluarga=keluarga, keluarga_baru=keluarga_baru, shdk=data.shdk)
    fields = {
        "keluarga": target,
        "nama": name_clean(data.nama),
        "jenis_kelamin": data.jenis_kelamin,
        "tempat_lahir": data.tempat_lahir.strip().upper(),
        "tanggal_lahir": data.tanggal_lahir,
        "agama": data.agama,
        "status_kawin": data.status_kawin,
        "shdk": data.shdk,
        "status": StatusPenduduk.HIDUP,
        "hadir_sejak": tanggal,
        "hadir_sampai": None,
    }
    if existing is None:
        penduduk = Penduduk.objects.create(nik=nik, **fields)
    else:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        penduduk = existing
    _peristiwa_create(
        penduduk=penduduk,
        jenis=JenisPeristiwa.PINDAH_MASUK,
        tanggal=tanggal,
        tanggal_lapor=tanggal_lapor,
        actor=actor,
        asal_tujuan=alamat_asal.strip(),
    )
    return penduduk


def _returning_check(existing: Penduduk | None, tanggal: date) -> None:
    if existing is None:
        return
    _retired_check(existing, "pindah masuk")
    if existing.status == StatusPenduduk.HIDUP:
        raise ValidationFailed(
            f"NIK {existing.nik} masih tercatat sebagai penduduk Kota Palembang; catat pindah keluar lebih dulu.",
            code="pindah_masuk_masih_hadir",
        )
    if existing.status == StatusPenduduk.MATI:
        raise ValidationFailed(
            f"NIK {existing.nik} tercatat meninggal pada {existing.hadir_sampai:%d-%m-%Y}.",
            code="peristiwa_sudah_mati",
        )
    if existing.hadir_sampai and tanggal < existing.hadir_sampai:
        raise ValidationFailed(
            f"Tanggal pindah masuk sebelum tanggal pindah keluar ({existing.hadir_sampai:%d-%m-%Y}).",
            code="pindah_masuk_sebelum_keluar",
        )


def _target_family(*, keluarga: Keluarga | None, keluarga_baru: KeluargaBaru | None, shdk: int) -> Keluarga:
    if keluarga is not None:
        keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
        if shdk == 1 and present_members(keluarga).filter(shdk=1).exists():
            raise ValidationFailed(
                f"Keluarga {keluarga.no_kk} sudah mempunyai kepala keluarga.",
                code="pindah_masuk_kepala_ganda",
            )
        return keluarga
    assert keluarga_baru is not None
    if shdk != 1:
        raise ValidationFailed(
            "Pendatang yang membuat KK baru harus menjadi kepala keluarga.",
            code="pindah_masuk_kk_baru_tanpa_kepala",
        )
    try:
        no_kk = clean_number(keluarga_baru.no_kk, "No. KK")
    except NikError as error:
        raise ValidationFailed(error.message, code=error.code) from None
    if Keluarga.objects.filter(no_kk=no_kk).exists():
        raise ValidationFailed(f"No. KK {no_kk} sudah terdaftar.", code="pindah_masuk_kk_terpakai")
    if not Kelurahan.objects.filter(kode=keluarga_baru.kelurahan_id).exists():
        raise ValidationFailed(
            f"Kelurahan {keluarga_baru.kelurahan_id} bukan kelurahan Kota Palembang.",
            code="wilayah_tidak_dikenal",
        )
    return Keluarga.objects.create(
        no_kk=no_kk,
        kelurahan_id=keluarga_baru.kelurahan_id,
        rw=keluarga_baru.rw,
        rt=keluarga_baru.rt,
        alamat=keluarga_baru.alamat.strip().upper(),
    )


# -- corrections (SOP 2: koreksi data ganda/anomali) -----------------------------------------------


def _corrector(user: User) -> Actor:
    from .permissions import KOREKSI_DATA, actor_for

    if not user_may(user, KOREKSI_DATA):
        raise PermissionDeniedError("Jabatan Anda tidak berhak mengoreksi data penduduk.", code="koreksi_tidak_berhak")
    return actor_for(user, KOREKSI_DATA)


def _evidence_check(alasan: str, dokumen: UploadedFile | None) -> str:
    """The reason (trimmed) once both it and an acceptable supporting document are there."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationFailed("Alasan koreksi wajib diisi.", code="koreksi_alasan_kosong")
    if dokumen is None:
        raise ValidationFailed(
            "Lampirkan dokumen pendukung koreksi (PDF, JPEG atau PNG).", code="koreksi_tanpa_dokumen"
        )
    try:
        upload_check(dokumen, KOREKSI_DOKUMEN)
    except forms.ValidationError as error:
        raise ValidationFailed(error.messages[0], code="koreksi_dokumen_ditolak") from None
    return alasan


def _koreksi_create(*, actor: Actor, dokumen: UploadedFile, **fields) -> KoreksiData:
    digest = hashlib.sha256()
    for chunk in dokumen.chunks():
        digest.update(chunk)
    dokumen.seek(0)
    koreksi = KoreksiData(
        dokumen_sha256=digest.hexdigest(), dokumen_nama=dokumen.name[:255], dilakukan_oleh=actor.user, **fields
    )
    koreksi.dokumen.save(PurePath(dokumen.name).name, dokumen, save=False)
    koreksi.save()
    events.corrected(actor, koreksi)
    return koreksi


@transaction.atomic
def koreksi_ubah_data(
    *, penduduk: Penduduk, kolom: str, nilai_baru: object, alasan: str, dokumen: UploadedFile | None, user: User
) -> KoreksiData:
    """Correct one field of a resident (see `koreksi.KOLOM`), keeping the old and new value, the reason and
    the supporting document; one audit event. `nilai_baru` is the typed value or its text."""
    actor = _corrector(user)
    alasan = _evidence_check(alasan, dokumen)
    spec = kolom_get(kolom)
    penduduk = _locked(penduduk)
    if penduduk.status == StatusPenduduk.GANDA:
        raise ValidationFailed(
            f"{penduduk.nama} sudah dinonaktifkan sebagai data ganda; koreksi data yang dipertahankan.",
            code="koreksi_data_ganda",
        )
    value = value_clean(spec, nilai_baru, hadir_sejak=penduduk.hadir_sejak)
    old = getattr(penduduk, kolom)
    if as_text(old) == as_text(value):
        raise ValidationFailed(
            f"{spec.label} baru sama dengan yang tercatat; tidak ada yang dikoreksi.", code="koreksi_tidak_berubah"
        )
    setattr(penduduk, kolom, value)
    penduduk.save(update_fields=[kolom])
    return _koreksi_create(
        actor=actor,
        dokumen=dokumen,
        penduduk=penduduk,
        jenis=KoreksiData.Jenis.UBAH_DATA,
        kolom=kolom,
        nilai_lama=as_text(old),
        nilai_baru=as_text(value),
        alasan=alasan,
    )


@transaction.atomic
def koreksi_data_ganda(
    *, ganda: Penduduk, pengganti: Penduduk, alasan: str, dokumen: UploadedFile | None, user: User
) -> KoreksiData:
    """Retire `ganda` as a second record of `pengganti` (the one kept) through a DATA_GANDA event: its
    status becomes GANDA and it leaves the register from today; nothing is deleted.

    Both rows are locked (in id order, so two retirements never deadlock), so of two concurrent attempts
    on the same record only the first succeeds; the second finds it no longer HIDUP."""
    actor = _corrector(user)
    alasan = _evidence_check(alasan, dokumen)
    if ganda.pk == pengganti.pk:
        raise ValidationFailed(
            "Data yang dinonaktifkan dan data yang dipertahankan harus dua rekaman yang berbeda.",
            code="ganda_diri_sendiri",
        )
    locked = Penduduk.objects.select_for_update().select_related("keluarga").filter(pk__in=[ganda.pk, pengganti.pk])
    rows = {row.pk: row for row in locked.order_by("pk")}
    ganda, pengganti = rows[ganda.pk], rows[pengganti.pk]
    if ganda.status != StatusPenduduk.HIDUP:
        raise ValidationFailed(
            f"{ganda.nama} (#{ganda.pk}) sudah tercatat {ganda.get_status_display().lower()}; "
            "hanya penduduk yang tercatat hidup dapat dinonaktifkan sebagai data ganda.",
            code="ganda_tidak_hidup",
        )
    if pengganti.status != StatusPenduduk.HIDUP:
        raise ValidationFailed(
            f"Data yang dipertahankan, {pengganti.nama} (#{pengganti.pk}), tercatat "
            f"{pengganti.get_status_display().lower()}; pilih rekaman yang masih hidup.",
            code="ganda_pengganti_tidak_hidup",
        )
    today = timezone.localdate()
    ganda.status, ganda.hadir_sampai = StatusPenduduk.GANDA, today
    ganda.save(update_fields=["status", "hadir_sampai"])
    _peristiwa_create(
        penduduk=ganda,
        jenis=JenisPeristiwa.DATA_GANDA,
        tanggal=today,
        tanggal_lapor=today,
        actor=actor,
        keterangan=f"Data ganda dari NIK {pengganti.nik}",
    )
    return _koreksi_create(
        actor=actor,
        dokumen=dokumen,
        penduduk=ganda,
        jenis=KoreksiData.Jenis.DATA_GANDA,
        kolom="status",
        nilai_lama=StatusPenduduk.HIDUP,
        nilai_baru=StatusPenduduk.GANDA,
        alasan=alasan,
        pengganti=pengganti,
    )


# -- personal data access log ------------------------------------------------------------------


@transaction.atomic
def akses_catat(
    *, actor: Actor, jenis: str, objek: str, tujuan: str = "", alamat_ip: str | None = None, ditolak: str = ""
) -> AksesDataPribadi:
    """Log that `actor` searched, saw or exported personal data (UU 27/2022), as one audit event.

    `objek` is masked here whatever the caller passed: the log is read by the masked Admin.
    """
    akses = AksesDataPribadi.objects.create(
        pengguna=actor.user,
        jenis=jenis,
        objek=identity_numbers_mask(objek)[:200],
        tujuan=identity_numbers_mask(tujuan)[:200],
        alamat_ip=alamat_ip,
        ditolak=ditolak[:200],
    )
    events.personal_data_accessed(actor, akses)
    return akses


def _search_refusal(*, user: User, query: str, may_search_numbers: bool) -> DomainError | None:
    since = timezone.now() - timedelta(minutes=1)
    recent = AksesDataPribadi.objects.filter(pengguna=user, jenis=AksesDataPribadi.Jenis.CARI, terjadi_pada__gte=since)
    if recent.count() >= settings.PIAK_CARI_PER_MENIT:
        return SearchRateExceeded(
            f"Terlalu banyak pencarian: paling banyak {settings.PIAK_CARI_PER_MENIT} per menit. "
            "Tunggu sebentar, lalu cari lagi."
        )
    if not may_search_numbers and any(ch.isdigit() for ch in query):
        # Even part of a number would let a masked role confirm a guessed NIK one search at a time.
        return PermissionDeniedError(
            "Jabatan Anda tidak berhak mencari dengan NIK, No. KK atau potongan angkanya; cari dengan nama.",
            code="penduduk_cari_nomor_ditolak",
        )
    return None


def _query_for_log(query: str) -> str:
    """The query with every digit after the sixth hidden, as the masked view shows numbers."""
    seen = 0
    kept = []
    for ch in query:
        if ch.isdigit():
            seen += 1
            ch = ch if seen <= REGION_DIGITS else "x"
        kept.append(ch)
    return "".join(kept)


def penduduk_cari(
    *, actor: Actor, query: str, may_search_numbers: bool, tujuan: str = "", alamat_ip: str | None = None
) -> list[Penduduk]:
    """Search the register for `actor`, logging every attempt, refused ones included.

    Not one transaction: a refused search is logged (and committed) before the refusal is raised.
    Raises `SearchRateExceeded` past `PIAK_CARI_PER_MENIT` searches a minute, `PermissionDeniedError`
    for digits from a role without `cari dengan NIK/No. KK`.
    """
    refusal = _search_refusal(user=actor.user, query=query, may_search_numbers=may_search_numbers)
    akses_catat(
        actor=actor,
        jenis=AksesDataPribadi.Jenis.CARI,
        objek=f"cari: {_query_for_log(query)}",
        tujuan=tujuan,
        alamat_ip=alamat_ip,
        ditolak=refusal.code if refusal else "",
    )
    if refusal:
        raise refusal
    return penduduk_search(query)


# -- the web upload's import -------------------------------------------------------------------


@transaction.atomic
def impor_daftar(
    *, berkas: Path, nama_asli: str, lewati_tidak_valid: bool, pengguna: User, pengodean: str = "utf-8"
) -> Impor:
    """Register an uploaded file and queue its import for the background worker."""
    from .tasks import impor_jalankan

    impor = Impor.objects.create(
        berkas=str(berkas),
        nama_asli=nama_asli[:255],
        lewati_tidak_valid=lewati_tidak_valid,
        pengodean=pengodean,
        diunggah_oleh=pengguna,
    )
    transaction.on_commit(lambda: impor_jalankan.enqueue(impor.pk))
    return impor


def impor_proses(*, impor: Impor, progress: "Progress | None" = None) -> Impor:
    """Run a queued import and keep its outcome and report (the import owns its transaction)."""
    from .permissions import IMPOR_PENDUDUK, actor_for

    Impor.objects.filter(pk=impor.pk).update(status=Impor.Status.BERJALAN)
    source = Path(impor.berkas)
    report = source.with_name(f"laporan-{impor.pk}.xlsx")
    result = penduduk_import(
        path=source,
        skip_invalid=impor.lewati_tidak_valid,
        report_path=report,
        actor=actor_for(impor.diunggah_oleh, IMPOR_PENDUDUK),
        progress=progress,
        encoding=impor.pengodean,
    )
    status = {0: Impor.Status.SELESAI, 1: Impor.Status.DITOLAK, 2: Impor.Status.GAGAL}[result.exit_code]
    if result.exit_code == 1 and impor.lewati_tidak_valid:
        status = Impor.Status.SELESAI
    Impor.objects.filter(pk=impor.pk).update(
        status=status, ringkasan=result.totals(), pesan=result.file_error, laporan=str(report)
    )
    impor.refresh_from_db()
    return impor


FINISHED_IMPORTS = (Impor.Status.SELESAI, Impor.Status.DITOLAK, Impor.Status.GAGAL, Impor.Status.TERHENTI)


@transaction.atomic
def unggahan_bersihkan(*, sekarang: datetime | None = None, actor: Actor | None = None) -> list[int]:
    """Delete the uploaded files of imports that ended and were uploaded more than `PIAK_IMPOR_RETENSI_HARI`
    days ago, and stray or partial files of that age in the import folder and the upload temporary folder
    (left by a crash between upload and registration). Reports are kept. Returns the imports cleaned."""
    from .tasks import import_dir

    sekarang = sekarang or timezone.now()
    batas = sekarang - timedelta(days=settings.PIAK_IMPOR_RETENSI_HARI)
    due = Impor.objects.select_for_update().filter(
        status__in=FINISHED_IMPORTS, diunggah_pada__lt=batas, berkas_dihapus_pada__isnull=True
    )
    ids = []
    for impor in due:
        Path(impor.berkas).unlink(missing_ok=True)
        import_dir().joinpath(f"{impor.pk}.progress.json").unlink(missing_ok=True)
        ids.append(impor.pk)
    Impor.objects.filter(pk__in=ids).update(berkas_dihapus_pada=sekarang)
    known = set(Impor.objects.values_list("berkas", flat=True)) | set(Impor.objects.values_list("laporan", flat=True))
    stray = [
        path
        for folder in (import_dir(), Path(settings.FILE_UPLOAD_TEMP_DIR))
        for path in folder.glob("*")
        if path.is_file() and str(path) not in known and path.stat().st_mtime < batas.timestamp()
    ]
    for path in stray:
        path.unlink(missing_ok=True)
    if ids or stray:
        events.uploads_deleted(
            actor or Actor(None), impor_ids=ids, stray_files=len(stray), retention_days=settings.PIAK_IMPOR_RETENSI_HARI
        )
    return ids


STOPPED_WORKER = (
    "Proses impor terhenti: pekerja latar berhenti pada {waktu}; tidak ada data yang diubah. "
    "Unggah ulang berkasnya untuk mengulangi impor."
)
STOPPED_ERROR = (
    "Proses impor terhenti karena kesalahan sistem pada {waktu}; tidak ada data yang diubah. "
    "Unggah ulang berkasnya untuk mengulangi impor; bila terulang, hubungi Admin."
)
APPLIED_BEFORE_STOP = "Data sudah tersimpan, tetapi prosesnya berhenti sebelum laporan impor selesai dibuat."


@transaction.atomic
def impor_hentikan(*, impor: Impor, alasan: str) -> Impor:
    """Stop a queued or running import with the reason shown on its page; one audit event.

    An import applies all or nothing in one transaction, so a stopped one changed nothing — unless it
    committed just before its worker died: its own audit event then says so, and it is finished instead.
    """
    from piak.core.models import AuditEvent

    applied = (
        AuditEvent.objects.filter(action=events.IMPORTED, payload__berkas=Path(impor.berkas).name)
        .values_list("payload", flat=True)
        .first()
    )
    if applied is not None:
        totals = {k: v for k, v in applied.items() if k not in ("berkas", "lewati_tidak_valid")}
        changes = {"status": Impor.Status.SELESAI, "ringkasan": totals, "pesan": APPLIED_BEFORE_STOP}
    else:
        changes = {"status": Impor.Status.TERHENTI, "pesan": alasan}
    still_open = Impor.objects.select_for_update().filter(
        pk=impor.pk, status__in=[Impor.Status.ANTRE, Impor.Status.BERJALAN]
    )
    if still_open.update(**changes):
        impor.refresh_from_db()
        events.import_stopped(impor, alasan=changes["pesan"])
    else:
        impor.refresh_from_db()
    return impor


def _moment_text(moment: datetime) -> str:
    return waktu_wib(moment, seconds=True)


def impor_gagal_sistem(*, impor: Impor) -> Impor:
    """An import the worker survived but that raised (a bug, a full disk): stopped, with the reason."""
    return impor_hentikan(impor=impor, alasan=STOPPED_ERROR.format(waktu=_moment_text(timezone.now())))


@transaction.atomic
def impor_terhenti_tandai(*, impor: Impor) -> Impor:
    """If the worker running this import died, stop the import and fail its task; else leave it."""
    from .tasks import task_result_fail, worker_died_at

    if impor.status != Impor.Status.BERJALAN:
        return impor
    died_at = worker_died_at(impor.pk)
    if died_at is None:
        return impor
    when = _moment_text(datetime.fromtimestamp(died_at, tz=UTC))
    impor = impor_hentikan(impor=impor, alasan=STOPPED_WORKER.format(waktu=when))
    task_result_fail(impor.pk, impor.pesan)
    return impor


def impor_terhenti_tandai_semua() -> list[Impor]:
    """Every running import whose worker died, stopped (run by the worker at start and periodically)."""
    running = Impor.objects.filter(status=Impor.Status.BERJALAN)
    stopped = [impor_terhenti_tandai(impor=impor) for impor in running]
    return [impor for impor in stopped if impor.status != Impor.Status.BERJALAN]
