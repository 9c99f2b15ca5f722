"""Permissions of the population register and the role an official acts in when using them."""

from django.utils import timezone

from piak.core import roles as r
from piak.core.audit import Actor
from piak.core.models import User
from piak.core.permissions import PERMISSIONS, register_permission
from piak.core.selectors import roles_of_user_on

LIHAT_DATA_PRIBADI = register_permission(
    "lihat data pribadi",
    "Melihat data pribadi penduduk (NIK dan No. KK utuh)",
    [r.STAF, r.KASI_SIAK, r.KASI_PPD, r.KABID_PIAK],
)
CARI_NOMOR = register_permission(
    "cari dengan NIK/No. KK",
    "Mencari penduduk dengan NIK atau No. KK (jabatan yang berhak melihat data pribadi saja)",
    PERMISSIONS[LIHAT_DATA_PRIBADI][1],
)
LIHAT_REGISTER = register_permission(
    "lihat register penduduk",
    "Mencari dan membuka register penduduk (NIK tersamar tanpa izin data pribadi)",
    [r.STAF, r.KASI_PPD, r.KASI_SIAK, r.KASI_TKSDM_TIK, r.KABID_PIAK, r.SEKRETARIS, r.KEPALA_DINAS, r.ADMIN],
)
CATAT_PERISTIWA = register_permission(
    "catat peristiwa penduduk",
    "Mencatat kelahiran, kematian, pindah keluar dan pindah masuk",
    [r.STAF, r.KASI_SIAK],
)
KOREKSI_DATA = register_permission(
    "koreksi data penduduk",
    "Mengoreksi isian data penduduk dan menonaktifkan data ganda, dengan alasan dan dokumen pendukung",
    [r.STAF, r.KASI_SIAK],
)
IMPOR_PENDUDUK = register_permission("impor data penduduk", "Mengimpor ekspor SIAK", [r.STAF, r.KASI_SIAK, r.ADMIN])
PERIKSA_DATA = register_permission(
    "periksa kualitas data",
    "Melihat pemeriksaan kualitas data penduduk",
    [r.STAF, r.KASI_SIAK, r.KASI_PPD, r.KABID_PIAK, r.ADMIN],
)
LIHAT_LOG_AKSES = register_permission("lihat log akses data pribadi", "Melihat log akses data pribadi", [r.ADMIN])


def actor_for(user: User, permission: str) -> Actor:
    """The actor recorded in the audit: `user` in the first role today that grants `permission`."""
    _, granting = PERMISSIONS[permission]
    for holding in roles_of_user_on(user=user, on=timezone.localdate()):
        if holding.role_id in granting:
            return Actor(user, holding.role_id, "" if not holding.is_acting else holding.capacity)
    return Actor(user)
