"""Reads of the population register.

For the snapshot and indicator work (statistik):
- `residents_present_on(on)`: everyone alive and living in the city at the end of day `on`, from the
  indexed columns `hadir_sejak`/`hadir_sampai` that the event services keep
  (index `penduduk_hadir_idx`). Join `keluarga__kelurahan` for the region.
- `events_between(start, end)`: births, deaths, moves out and in whose *event date* falls in
  [start, end], with their kelurahan (index `peristiwa_tanggal_idx`); `event_counts_between` groups
  them per kelurahan and kind.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Mod, Substr

from piak.core.models import User

from .models import AksesDataPribadi, Impor, Keluarga, Penduduk, Peristiwa, StatusPenduduk

SEARCH_LIMIT = 50


def residents_present_on(on: date) -> QuerySet[Penduduk]:
    return Penduduk.objects.filter(
        Q(hadir_sejak__isnull=True) | Q(hadir_sejak__lte=on),
        Q(hadir_sampai__isnull=True) | Q(hadir_sampai__gt=on),
        tanggal_lahir__lte=on,
    )


def events_between(start: date, end: date) -> QuerySet[Peristiwa]:
    return Peristiwa.objects.filter(tanggal_peristiwa__gte=start, tanggal_peristiwa__lte=end)


def event_counts_between(start: date, end: date) -> list[dict]:
    """`[{"kelurahan_id", "jenis", "jumlah"}]` for events dated in [start, end]."""
    return list(
        events_between(start, end)
        .values("kelurahan_id", "jenis")
        .annotate(jumlah=Count("id"))
        .order_by("kelurahan_id", "jenis")
    )


def penduduk_search(query: str) -> list[Penduduk]:
    """By NIK or No. KK (16 digits, dots and spaces allowed) or by part of the name."""
    text = query.strip()
    digits = text.replace(".", "").replace(" ", "")
    residents = Penduduk.objects.select_related("keluarga__kelurahan")
    if digits.isdigit() and len(digits) == 16:
        found = residents.filter(Q(nik=digits) | Q(keluarga__no_kk=digits))
    elif len(text) >= 3:
        found = residents.filter(nama__icontains=text)
    else:
        return []
    return list(found.order_by("nama", "nik")[:SEARCH_LIMIT])


def resident_detail(nik: str) -> Penduduk | None:
    return Penduduk.objects.select_related("keluarga__kelurahan__kecamatan").filter(nik=nik).first()


def family_members(keluarga: Keluarga) -> list[Penduduk]:
    return list(keluarga.anggota.order_by("shdk", "tanggal_lahir", "nik"))


def present_members(keluarga: Keluarga) -> QuerySet[Penduduk]:
    return keluarga.anggota.filter(status=StatusPenduduk.HIDUP)


@dataclass
class DataQuality:
    duplicate_niks: list[dict]
    possible_duplicates: list[dict]
    nik_date_mismatch: int
    nik_sex_mismatch: int
    issued_elsewhere: int
    families_without_one_head: list[dict]
    missing_birth_dates: int
    per_kelurahan: list[dict]
    examples_nik_mismatch: list[Penduduk]


def data_quality() -> DataQuality:
    """The register's data-quality checks (`piak check-data` and its page), over present residents."""
    present = Penduduk.objects.filter(status=StatusPenduduk.HIDUP)
    nik_parts = present.filter(tanggal_lahir__isnull=False).annotate(
        nik_day=Cast(Substr("nik", 7, 2), IntegerField()),
        nik_month=Cast(Substr("nik", 9, 2), IntegerField()),
        nik_year=Cast(Substr("nik", 11, 2), IntegerField()),
        day=ExtractDay("tanggal_lahir"),
        month=ExtractMonth("tanggal_lahir"),
        year=ExtractYear("tanggal_lahir"),
    )
    female = Q(nik_day__gt=40)
    date_mismatch = nik_parts.exclude(
        (Q(nik_day=F("day")) | Q(nik_day=F("day") + 40)) & Q(nik_month=F("month")) & Q(nik_year=Mod("year", 100))
    )
    return DataQuality(
        duplicate_niks=list(
            Penduduk.objects.values("nik").annotate(jumlah=Count("id")).filter(jumlah__gt=1).order_by("nik")
        ),
        possible_duplicates=list(
            present.values("nama", "tanggal_lahir", "nama_ibu")
            .annotate(jumlah=Count("id"))
            .filter(jumlah__gt=1)
            .order_by("nama")[:100]
        ),
        nik_date_mismatch=date_mismatch.count(),
        nik_sex_mismatch=nik_parts.filter((female & Q(jenis_kelamin=1)) | (~female & Q(jenis_kelamin=2))).count(),
        issued_elsewhere=present.exclude(nik__startswith="1671").count(),
        families_without_one_head=list(
            Keluarga.objects.annotate(
                hadir=Count("anggota", filter=Q(anggota__status=StatusPenduduk.HIDUP)),
                kepala=Count("anggota", filter=Q(anggota__status=StatusPenduduk.HIDUP, anggota__shdk=1)),
            )
            .filter(hadir__gt=0)
            .exclude(kepala=1)
            .values("id", "no_kk", "hadir", "kepala")
            .order_by("no_kk")[:200]
        ),
        missing_birth_dates=present.filter(tanggal_lahir__isnull=True).count(),
        per_kelurahan=list(
            present.values("keluarga__kelurahan__kode", "keluarga__kelurahan__nama")
            .annotate(
                jumlah=Count("id"),
                laki=Count("id", filter=Q(jenis_kelamin=1)),
                perempuan=Count("id", filter=Q(jenis_kelamin=2)),
                keluarga=Count("keluarga", distinct=True),
            )
            .order_by("keluarga__kelurahan__kode")
        ),
        examples_nik_mismatch=list(date_mismatch.select_related("keluarga")[:20]),
    )


def quality_summary(q: DataQuality) -> list[tuple[str, int]]:
    """The headline figures of the data-quality check, as the page and the command show them."""
    return [
        ("NIK ganda", len(q.duplicate_niks)),
        ("Kemungkinan orang yang sama tercatat dua kali", len(q.possible_duplicates)),
        ("NIK tidak cocok dengan tanggal lahir", q.nik_date_mismatch),
        ("NIK tidak cocok dengan jenis kelamin", q.nik_sex_mismatch),
        ("NIK terbit di luar Kota Palembang (bukan galat)", q.issued_elsewhere),
        ("Keluarga tanpa tepat satu kepala keluarga", len(q.families_without_one_head)),
        ("Penduduk tanpa tanggal lahir", q.missing_birth_dates),
    ]


def access_log_latest(limit: int = 500) -> QuerySet[AksesDataPribadi]:
    return AksesDataPribadi.objects.select_related("pengguna")[:limit]


# -- SOP 2's work log: what one official did in a time window ------------------------------------


def _window(field: str, start: datetime, end: datetime | None) -> Q:
    where = Q(**{f"{field}__gte": start})
    return where & Q(**{f"{field}__lte": end}) if end is not None else where


def events_recorded_by(user: User, start: datetime, end: datetime | None) -> QuerySet[Peristiwa]:
    """Births, deaths, moves out and in that `user` recorded in the window."""
    return (
        Peristiwa.objects.filter(_window("dicatat_pada", start, end), dicatat_oleh=user)
        .select_related("penduduk")
        .order_by("dicatat_pada", "id")
    )


def imports_by(user: User, start: datetime, end: datetime | None) -> QuerySet[Impor]:
    """Imports `user` uploaded in the window that were applied (finished: the register holds their rows)."""
    return Impor.objects.filter(
        _window("diunggah_pada", start, end), diunggah_oleh=user, status=Impor.Status.SELESAI
    ).order_by("diunggah_pada", "id")
