"""Who may do what with snapshots, indicators and reports."""

from piak.core import roles
from piak.core.permissions import register_permission

ALL_PIAK_ROLES = [code for code, _ in roles.ROLES]

SNAPSHOT_CREATE = register_permission(
    "statistik.snapshot_create",
    "Membuat snapshot data kependudukan dan menghitung indikatornya",
    [roles.KASI_PPD, roles.KABID_PIAK, roles.ADMIN],
)
STATISTIK_VIEW = register_permission("statistik.view", "Melihat snapshot, indikator, tabel dan grafik", ALL_PIAK_ROLES)
