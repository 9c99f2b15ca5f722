"""The fields of a resident a correction may change, how a new value is read and how values are shown.

Values are kept in `KoreksiData` as text: ISO dates, code numbers, names as stored; "" for empty.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from piak.core.errors import ValidationFailed
from piak.web.uploads import JPEG, PDF, PNG, UploadPolicy

from .models import KodeReferensi, StatusPenduduk

TEKS, NAMA, TANGGAL, KODE = "teks", "nama", "tanggal", "kode"
# The supporting document of a correction: a scan or photo of the civil record, or its PDF.
KOREKSI_DOKUMEN = UploadPolicy(kinds=(PDF, JPEG, PNG), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")


@dataclass(frozen=True)
class KolomKoreksi:
    """A correctable field: its label, its kind, its code table (KODE) and whether it may be empty."""

    nama: str
    label: str
    jenis: str
    tabel: str = ""
    wajib: bool = True


KOLOM = {
    k.nama: k
    for k in (
        KolomKoreksi("nama", "Nama lengkap", NAMA),
        KolomKoreksi("jenis_kelamin", "Jenis kelamin", KODE, "jenis_kelamin"),
        KolomKoreksi("tempat_lahir", "Tempat lahir", TEKS),
        KolomKoreksi("tanggal_lahir", "Tanggal lahir", TANGGAL),
        KolomKoreksi("agama", "Agama", KODE, "agama"),
        KolomKoreksi("status_kawin", "Status perkawinan", KODE, "status_kawin"),
        KolomKoreksi("shdk", "Hubungan dalam keluarga", KODE, "shdk"),
        KolomKoreksi("pendidikan", "Pendidikan", KODE, "pendidikan_kk", wajib=False),
        KolomKoreksi("pekerjaan", "Pekerjaan", KODE, "pekerjaan", wajib=False),
        KolomKoreksi("nama_ibu", "Nama ibu", NAMA, wajib=False),
    )
}


def name_clean(nama: str) -> str:
    """A person's name under the import's rules (upper case, single spaces, letters and ' . , -)."""
    from .impor.rows import RowParser, RowProblem  # the import's code tables read services at import

    try:
        return RowParser._name(" ".join(nama.split()).upper(), "nama")
    except RowProblem as problem:
        raise ValidationFailed(problem.pesan, code=problem.kode) from None


def kolom_get(nama: str) -> KolomKoreksi:
    try:
        return KOLOM[nama]
    except KeyError:
        raise ValidationFailed(
            f"Isian '{nama}' tidak dapat dikoreksi di sini.", code="koreksi_kolom_tidak_dikenal"
        ) from None


def as_text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def value_clean(kolom: KolomKoreksi, value: object, *, hadir_sejak: date | None) -> object:
    """The new value of `kolom` as the model stores it, from a typed value or its text; refused if invalid."""
    if _empty(value):
        if kolom.wajib:
            raise ValidationFailed(f"{kolom.label} baru wajib diisi.", code="koreksi_nilai_kosong")
        return "" if kolom.jenis in (TEKS, NAMA) else None
    if kolom.jenis == NAMA:
        return name_clean(str(value))
    if kolom.jenis == TEKS:
        text = " ".join(str(value).split()).upper()
        if len(text) > 100:
            raise ValidationFailed(f"{kolom.label} paling panjang 100 huruf.", code="koreksi_nilai_terlalu_panjang")
        return text
    if kolom.jenis == TANGGAL:
        return _date_clean(value, hadir_sejak)
    return _code_clean(kolom, value)


def _date_clean(value: object, hadir_sejak: date | None) -> date:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed(f"Tanggal '{value}' tidak terbaca.", code="koreksi_tanggal_tidak_terbaca") from None
    if value > timezone.localdate():
        raise ValidationFailed("Tanggal lahir tidak boleh di masa depan.", code="koreksi_tanggal_masa_depan")
    if hadir_sejak and value > hadir_sejak:
        raise ValidationFailed(
            f"Tanggal lahir tidak boleh sesudah penduduk tercatat di Kota Palembang ({hadir_sejak:%d-%m-%Y}).",
            code="koreksi_tanggal_sesudah_hadir",
        )
    return value


def _code_clean(kolom: KolomKoreksi, value: object) -> int:
    try:
        code = int(str(value).strip())
    except ValueError:
        code = None
    if code is None or not KodeReferensi.objects.filter(tabel=kolom.tabel, kode=code).exists():
        raise ValidationFailed(
            f"Kode {kolom.label.lower()} '{value}' tidak dikenal.", code="koreksi_kode_tidak_dikenal"
        )
    return code


def value_label(kolom_nama: str, text: str, *, pribadi: bool) -> str:
    """A stored value as people read it: a code with its label, a date as dd-mm-yyyy (its year only for
    officials without `lihat data pribadi`)."""
    if kolom_nama == "status":
        return str(StatusPenduduk(text).label)
    kolom = KOLOM.get(kolom_nama)
    if not text or kolom is None:
        return text or "—"
    if kolom.jenis == TANGGAL:
        day = date.fromisoformat(text)
        return f"{day:%d-%m-%Y}" if pribadi else str(day.year)
    if kolom.jenis == KODE:
        label = KodeReferensi.objects.filter(tabel=kolom.tabel, kode=int(text)).values_list("label", flat=True).first()
        return f"{label} ({text})" if label else text
    return text
