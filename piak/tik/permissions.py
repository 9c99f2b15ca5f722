"""Who may see and keep the ICT registers: the Kasi TKSDM-TIK keeps them, his staff record in them, the
leadership reads them."""

from piak.core import roles
from piak.core.permissions import register_permission

KELOLA_TIK = register_permission(
    "tik.kelola",
    "Mengelola register TIK: aset, layanan, insiden, kompetensi, hak akses dan perubahan",
    [roles.KASI_TKSDM_TIK, roles.STAF],
)
LIHAT_TIK = register_permission(
    "tik.lihat",
    "Melihat register dan laporan tata kelola TIK",
    [roles.KASI_TKSDM_TIK, roles.STAF, roles.KABID_PIAK, roles.SEKRETARIS, roles.KEPALA_DINAS, roles.ADMIN],
)
