"""The jabatan of PRODUCT.md §2, in the order they appear in the SOPs' performer columns."""

from datetime import time

STAF = "staf"
KASI_PPD = "kasi_ppd"
KASI_SIAK = "kasi_siak"
KASI_TKSDM_TIK = "kasi_tksdm_tik"
KABID_PIAK = "kabid_piak"
SEKRETARIS = "sekretaris"
KEPALA_DINAS = "kepala_dinas"
ADMIN = "admin"

ROLES: list[tuple[str, str]] = [
    (STAF, "Staf / Operator"),
    (KASI_PPD, "Kepala Seksi Pengelolaan dan Penyajian Data"),
    (KASI_SIAK, "Kepala Seksi Sistem Informasi Administrasi Kependudukan"),
    (KASI_TKSDM_TIK, "Kepala Seksi Tata Kelola dan SDM, Teknologi Informasi dan Komunikasi"),
    (KABID_PIAK, "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan"),
    (SEKRETARIS, "Sekretaris Dinas"),
    (KEPALA_DINAS, "Kepala Dinas Kependudukan dan Pencatatan Sipil"),
    (ADMIN, "Administrator Sistem"),
]

# The roles that sign, appoint or administer: they may protect their login with a second factor (TOTP).
SECOND_FACTOR_ROLES = frozenset({KEPALA_DINAS, SEKRETARIS, KABID_PIAK, ADMIN})

# How the office abbreviates the jabatan in tables and charts.
SHORT_NAMES: dict[str, str] = {
    STAF: "Staf/Operator",
    KASI_PPD: "Kasi PPD",
    KASI_SIAK: "Kasi SIAK",
    KASI_TKSDM_TIK: "Kasi TKSDM-TIK",
    KABID_PIAK: "Kabid PIAK",
    SEKRETARIS: "Sekretaris",
    KEPALA_DINAS: "Kepala Dinas",
    ADMIN: "Admin",
}


def core_defaults_ensure(**kwargs) -> None:
    """Create the roles and the default office hours (Mon–Fri 08:00–16:00) where they are missing."""
    from .models import OfficeHours, Role

    for order, (code, nama) in enumerate(ROLES):
        Role.objects.get_or_create(code=code, defaults={"nama": nama, "urutan": order})
    for weekday in range(7):
        working = weekday < 5
        OfficeHours.objects.get_or_create(
            weekday=weekday,
            defaults={
                "is_working": working,
                "opens": time(8) if working else None,
                "closes": time(16) if working else None,
            },
        )
