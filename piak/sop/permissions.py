"""Who may watch the SOPs' time standards across the office."""

from piak.core import roles
from piak.core.permissions import register_permission

SOP_MONITOR = register_permission(
    "sop.pantau",
    "Melihat dasbor pimpinan dan laporan kepatuhan standar waktu semua berkas",
    [roles.KEPALA_DINAS, roles.SEKRETARIS, roles.KABID_PIAK],
)
