"""The health of the instance, for `/sehat/` (monitoring) and the Admin's home page.

`CHECKS` is a list of small functions, each answering one question with a status (ok / peringatan /
gagal), a line in Bahasa Indonesia and its figures; a check that raises counts as gagal. Every check is
cheap (a few small queries, a stat, one certificate file) because monitors poll it. A new check (the last
backup, say) is one more function and one more entry.
"""

import hmac
import ipaddress
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography import x509
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.formats import number_format

from piak.core import roles
from piak.core.models import BackupLog
from piak.core.permissions import register_permission, user_may
from piak.core.selectors import cadangan_terakhir, drill_overdue, worker_heartbeat_newest, worker_heartbeats_alive
from piak.core.waktu import waktu_wib
from piak.naskah.signing import OFFICE_CERT

OK, PERINGATAN, GAGAL = "ok", "peringatan", "gagal"
_SEVERITY = {OK: 0, PERINGATAN: 1, GAGAL: 2}
_LABEL = {OK: "Baik", PERINGATAN: "Peringatan", GAGAL: "Gagal"}
_BADGE = {OK: "success", PERINGATAN: "warning", GAGAL: "danger"}
MB = 1024**2

SEHAT_LIHAT = register_permission("sistem.sehat", "Melihat kesehatan sistem beserta angkanya", [roles.ADMIN])
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    status: str
    keterangan: str
    angka: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return _LABEL[self.status]

    @property
    def badge(self) -> str:
        return _BADGE[self.status]


@dataclass(frozen=True)
class Check:
    nama: str
    judul: str
    finding: Finding


@dataclass(frozen=True)
class Report:
    checks: list[Check]

    @property
    def status(self) -> str:
        return max((c.finding.status for c in self.checks), key=_SEVERITY.__getitem__, default=OK)

    @property
    def label(self) -> str:
        return _LABEL[self.status]

    @property
    def badge(self) -> str:
        return _BADGE[self.status]

    @property
    def http_status(self) -> int:
        return 503 if self.status == GAGAL else 200


def _mb(value: int) -> str:
    return f"{number_format(value, force_grouping=True)} MB"


def database_check() -> Finding:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    pending = [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    figures = {"mesin": connection.vendor, "migrasi_tertunda": pending}
    if pending:
        return Finding(GAGAL, f"{len(pending)} migrasi belum diterapkan; jalankan piak migrate.", figures)
    return Finding(OK, "Basis data menjawab dan semua migrasi sudah diterapkan.", figures)


def worker_check() -> Finding:
    limit = settings.PIAK_SEHAT_DETAK_BATAS
    now = timezone.now()
    alive = worker_heartbeats_alive(since=now - timedelta(seconds=limit))
    newest = alive[0] if alive else worker_heartbeat_newest()
    if newest is None:
        return Finding(GAGAL, "Pekerja tugas belum pernah berjalan (piak db_worker).", {"batas_detik": limit})
    age = round((now - newest.detak_terakhir).total_seconds(), 1)
    figures = {
        "detak_terakhir_detik": age,
        "batas_detik": limit,
        "aktif": len(alive),
        "pekerja": [{"host": w.host, "pid": w.pid, "mulai": w.mulai.isoformat()} for w in alive],
    }
    if alive:
        return Finding(OK, f"{len(alive)} pekerja tugas aktif; detak terakhir {age:.0f} detik lalu.", figures)
    if newest.berhenti_pada:
        return Finding(GAGAL, f"Pekerja tugas berhenti pada {waktu_wib(newest.berhenti_pada)}.", figures)
    return Finding(
        GAGAL, f"Detak terakhir {age:.0f} detik lalu (batas {limit:.0f} detik): pekerja mati atau macet.", figures
    )


def disk_check() -> Finding:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free, minimum = usage.free // MB, settings.PIAK_SEHAT_RUANG_MIN_MB
    figures = {"bebas_mb": free, "total_mb": usage.total // MB, "batas_mb": minimum, "lokasi": str(settings.DATA_DIR)}
    if free < minimum:
        return Finding(GAGAL, f"Ruang disk data tinggal {_mb(free)} (batas {_mb(minimum)}).", figures)
    return Finding(OK, f"Ruang disk data bebas {_mb(free)} dari {_mb(usage.total // MB)}.", figures)


def signer_check() -> Finding:
    path = settings.PIAK_SIGNER_DIR / OFFICE_CERT
    if not path.exists():
        return Finding(GAGAL, "Sertifikat penandatangan belum disiapkan (piak signer-init).", {"lokasi": str(path)})
    expires = x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc
    days = (expires - timezone.now()).days
    figures = {"sisa_hari": days, "berlaku_sampai": expires.isoformat(), "lokasi": str(path)}
    if days < 0:
        return Finding(GAGAL, f"Sertifikat penandatangan kedaluwarsa pada {waktu_wib(expires)}.", figures)
    status = PERINGATAN if days < settings.PIAK_SEHAT_SERTIFIKAT_HARI else OK
    return Finding(status, f"Sertifikat penandatangan berlaku {days} hari lagi (sampai {waktu_wib(expires)}).", figures)


def backup_check() -> Finding:
    """The newest successful backup must be younger than the limit (the daily task runs every day)."""
    limit = settings.PIAK_SEHAT_CADANGAN_JAM
    backup = cadangan_terakhir(jenis=BackupLog.Kind.CADANGAN)
    drill = cadangan_terakhir(jenis=BackupLog.Kind.LATIHAN)
    figures = {"batas_jam": limit, "latihan_terakhir": drill.selesai.isoformat() if drill else None}
    if backup is None:
        return Finding(PERINGATAN, "Belum ada cadangan yang berhasil (piak backup).", figures)
    hours = round((timezone.now() - backup.selesai).total_seconds() / 3600, 1)
    figures |= {"terakhir": backup.selesai.isoformat(), "umur_jam": hours, "ukuran_bita": backup.ukuran}
    if hours > limit:
        return Finding(GAGAL, f"Cadangan terakhir {waktu_wib(backup.selesai)}, lebih dari {limit} jam lalu.", figures)
    if drill_overdue(drill):
        return Finding(
            PERINGATAN, f"Cadangan terakhir {waktu_wib(backup.selesai)}; latihan pemulihan sudah jatuh tempo.", figures
        )
    return Finding(
        OK,
        f"Cadangan terakhir {waktu_wib(backup.selesai)}; latihan pemulihan terakhir {waktu_wib(drill.selesai)}.",
        figures,
    )


CHECKS: list[tuple[str, str, Callable[[], Finding]]] = [
    ("basis_data", "Basis data", database_check),
    ("pekerja_tugas", "Pekerja tugas", worker_check),
    ("ruang_disk", "Ruang disk", disk_check),
    ("sertifikat_penandatangan", "Sertifikat penandatangan", signer_check),
    ("cadangan", "Cadangan dan latihan pemulihan", backup_check),
]


def _finding_of(name: str, check: Callable[[], Finding]) -> Finding:
    try:
        return check()
    except Exception as error:  # a broken check is a failed check, never a 500 for the monitor
        logger.exception("Pemeriksaan kesehatan %s gagal", name)
        return Finding(GAGAL, f"Pemeriksaan tidak dapat dijalankan ({type(error).__name__}).")


def health_report() -> Report:
    return Report([Check(name, title, _finding_of(name, check)) for name, title, check in CHECKS])


def _token_given(request) -> bool:
    expected = settings.PIAK_SEHAT_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _from_allowed_network(request) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.PIAK_SEHAT_JARINGAN)


def _admin_signed_in(request) -> bool:
    try:  # a session cookie makes the user a query; with the database down the monitor still gets its answer
        return request.user.is_authenticated and user_may(request.user, SEHAT_LIHAT)
    except DatabaseError:
        return False


def may_see_figures(request) -> bool:
    """The token, an allowed network or a signed-in Admin; anyone else sees only each check's status."""
    return _token_given(request) or _from_allowed_network(request) or _admin_signed_in(request)


def report_json(report: Report, *, figures: bool) -> dict:
    if not figures:
        return {"status": report.status, "pemeriksaan": {c.nama: {"status": c.finding.status} for c in report.checks}}
    return {
        "status": report.status,
        "waktu": timezone.localtime().isoformat(),
        "pemeriksaan": {
            c.nama: {"status": c.finding.status, "keterangan": c.finding.keterangan, "angka": c.finding.angka}
            for c in report.checks
        },
    }
