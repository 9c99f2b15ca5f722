"""`/sehat/` and the Admin's health section: each check against the real database, disk and certificate."""

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import timezone

from piak.core import roles
from piak.core.heartbeat import heartbeat_start, heartbeat_stop
from piak.core.models import BackupLog, WorkerHeartbeat
from piak.core.services import backup_log_record
from piak.naskah.signing import OFFICE_CERT

CHECK_NAMES = {"basis_data", "pekerja_tugas", "ruang_disk", "sertifikat_penandatangan", "cadangan"}
TOKEN = "token-pemantau-uji-0123456789"


@pytest.fixture
def healthy(db, settings, signer_dir, tmp_path):
    """A live worker, the session's office certificate (ten years), a data folder with room to spare,
    a backup and a restore drill made just now."""
    settings.PIAK_SIGNER_DIR = signer_dir
    settings.DATA_DIR = tmp_path
    settings.PIAK_SEHAT_RUANG_MIN_MB = 1
    for jenis in (BackupLog.Kind.CADANGAN, BackupLog.Kind.LATIHAN):
        _backup_logged(jenis, berhasil=True)
    return heartbeat_start(host=socket.gethostname(), pid=os.getpid())


def _backup_logged(jenis: str, *, berhasil: bool, hours_ago: float = 0) -> BackupLog:
    log = backup_log_record(
        jenis=jenis,
        mulai=timezone.now(),
        berhasil=berhasil,
        arsip=Path("/cadangan/uji.tar.gz"),
        pesan="",
        pemicu="jadwal",
    )
    BackupLog.objects.filter(pk=log.pk).update(selesai=timezone.now() - timedelta(hours=hours_ago))
    return log


def _certificate_expiring_in(folder, days: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kepala Dinas (uji)")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=400))
        .not_valid_after(now + timedelta(days=days, hours=1))
        .sign(key, hashes.SHA256())
    )
    (folder / OFFICE_CERT).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _sehat(client, **headers):
    response = client.get(reverse("sehat"), **headers)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response, response.json()


def test_all_well_is_200_and_an_anonymous_monitor_sees_only_each_status(client, healthy):
    response, body = _sehat(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "pemeriksaan": {name: {"status": "ok"} for name in CHECK_NAMES}}
    assert str(healthy.host) not in response.content.decode()
    assert not response.cookies  # no session, no CSRF cookie for the monitor


def test_the_token_shows_the_figures(client, healthy, settings):
    settings.PIAK_SEHAT_TOKEN = TOKEN
    _, body = _sehat(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    worker = body["pemeriksaan"]["pekerja_tugas"]
    assert worker["angka"]["aktif"] == 1
    assert worker["angka"]["pekerja"][0] == {
        "host": healthy.host,
        "pid": healthy.pid,
        "mulai": healthy.mulai.isoformat(),
    }
    assert worker["angka"]["detak_terakhir_detik"] < 60
    assert body["pemeriksaan"]["ruang_disk"]["angka"]["lokasi"] == str(settings.DATA_DIR)
    assert body["pemeriksaan"]["sertifikat_penandatangan"]["angka"]["sisa_hari"] > 3000
    assert body["pemeriksaan"]["basis_data"]["angka"]["migrasi_tertunda"] == []


@pytest.mark.parametrize("header", ["", "Bearer salah", f"Bearer {TOKEN}x", TOKEN[:-1]])
def test_a_wrong_or_missing_token_shows_no_figures(client, healthy, settings, header):
    settings.PIAK_SEHAT_TOKEN = TOKEN
    _, body = _sehat(client, HTTP_AUTHORIZATION=header)
    assert "angka" not in body["pemeriksaan"]["pekerja_tugas"] and "waktu" not in body


def test_no_token_is_configured_by_default_so_an_empty_bearer_is_refused(client, healthy):
    _, body = _sehat(client, HTTP_AUTHORIZATION="Bearer ")
    assert "angka" not in body["pemeriksaan"]["ruang_disk"]


def test_an_allowed_network_shows_the_figures_and_others_do_not(client, healthy, settings):
    settings.PIAK_SEHAT_JARINGAN = ["10.20.0.0/16"]
    _, inside = _sehat(client, REMOTE_ADDR="10.20.3.4")
    _, outside = _sehat(client, REMOTE_ADDR="10.21.3.4")
    assert "angka" in inside["pemeriksaan"]["ruang_disk"]
    assert "angka" not in outside["pemeriksaan"]["ruang_disk"]


def test_a_signed_in_admin_sees_the_figures_and_another_role_does_not(client, healthy, make_official):
    client.force_login(make_official("admin.uji", roles.ADMIN))
    _, body = _sehat(client)
    assert body["pemeriksaan"]["pekerja_tugas"]["angka"]["aktif"] == 1
    client.force_login(make_official("kadis.uji", roles.KEPALA_DINAS))
    _, body = _sehat(client)
    assert "angka" not in body["pemeriksaan"]["pekerja_tugas"]


def test_a_worker_that_stopped_cleanly_is_503(client, healthy, settings):
    heartbeat_stop(pk=healthy.pk)
    settings.PIAK_SEHAT_TOKEN = TOKEN
    response, body = _sehat(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 503 and body["status"] == "gagal"
    worker = body["pemeriksaan"]["pekerja_tugas"]
    assert worker["status"] == "gagal" and worker["keterangan"].startswith("Pekerja tugas berhenti pada")
    assert {name for name, check in body["pemeriksaan"].items() if check["status"] == "ok"} == CHECK_NAMES - {
        "pekerja_tugas"
    }


def test_a_worker_whose_beat_is_older_than_the_limit_is_503(client, healthy, settings):
    settings.PIAK_SEHAT_DETAK_BATAS = 60
    WorkerHeartbeat.objects.filter(pk=healthy.pk).update(detak_terakhir=timezone.now() - timedelta(seconds=61))
    response, body = _sehat(client)
    assert response.status_code == 503 and body["pemeriksaan"]["pekerja_tugas"] == {"status": "gagal"}


def test_no_worker_ever_is_503(client, healthy):
    WorkerHeartbeat.objects.all().delete()
    response, body = _sehat(client)
    assert response.status_code == 503 and body["pemeriksaan"]["pekerja_tugas"]["status"] == "gagal"


def test_low_disk_is_503(client, healthy, settings):
    settings.PIAK_SEHAT_RUANG_MIN_MB = 1024**3  # a petabyte: more than this disk has free
    settings.PIAK_SEHAT_TOKEN = TOKEN
    response, body = _sehat(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    disk = body["pemeriksaan"]["ruang_disk"]
    assert response.status_code == 503 and disk["status"] == "gagal"
    assert disk["angka"]["bebas_mb"] < disk["angka"]["batas_mb"]
    assert disk["keterangan"].startswith("Ruang disk data tinggal")


def test_a_certificate_expiring_within_30_days_warns_and_stays_200(client, healthy, settings, tmp_path):
    _certificate_expiring_in(tmp_path, days=12)
    settings.PIAK_SIGNER_DIR = tmp_path
    settings.PIAK_SEHAT_TOKEN = TOKEN
    response, body = _sehat(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    signer = body["pemeriksaan"]["sertifikat_penandatangan"]
    assert response.status_code == 200 and body["status"] == "peringatan"
    assert signer["status"] == "peringatan" and signer["angka"]["sisa_hari"] == 12
    assert "berlaku 12 hari lagi" in signer["keterangan"]


def test_an_expired_or_missing_certificate_is_503(client, healthy, settings, tmp_path):
    _certificate_expiring_in(tmp_path, days=-3)
    settings.PIAK_SIGNER_DIR = tmp_path
    response, body = _sehat(client)
    assert response.status_code == 503 and body["pemeriksaan"]["sertifikat_penandatangan"]["status"] == "gagal"
    settings.PIAK_SIGNER_DIR = tmp_path / "tidak-ada"
    response, body = _sehat(client)
    assert response.status_code == 503 and body["pemeriksaan"]["sertifikat_penandatangan"]["status"] == "gagal"


def test_a_check_that_breaks_is_a_failed_check_not_a_500(client, healthy, settings):
    settings.DATA_DIR = settings.DATA_DIR / "tidak-ada"
    response, body = _sehat(client)
    assert response.status_code == 503 and body["pemeriksaan"]["ruang_disk"] == {"status": "gagal"}
    assert body["pemeriksaan"]["basis_data"] == {"status": "ok"}


def test_only_get_and_head(client, healthy):
    assert client.head(reverse("sehat")).status_code == 200
    assert client.post(reverse("sehat")).status_code == 405


def test_the_admins_home_shows_the_checks(client, healthy, make_official):
    client.force_login(make_official("admin.uji", roles.ADMIN))
    html = client.get(reverse("home")).content.decode()
    section = html.split('id="judul-sehat"')[1].split("</section>")[0]
    for title in ("Basis data", "Pekerja tugas", "Ruang disk", "Sertifikat penandatangan"):
        assert title in section
    assert "1 pekerja tugas aktif" in section and "berlaku 36" in section


@pytest.mark.parametrize("role", [roles.KEPALA_DINAS, roles.KASI_TKSDM_TIK, roles.STAF])
def test_other_roles_do_not_see_the_checks_on_their_home(client, healthy, make_official, role):
    client.force_login(make_official("pejabat.uji", role))
    html = client.get(reverse("home")).content.decode()
    assert "Kesehatan sistem" not in html and "Pekerja tugas" not in html


def _backup_finding(client, settings) -> tuple[int, dict]:
    settings.PIAK_SEHAT_TOKEN = TOKEN
    response, body = _sehat(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    return response.status_code, body["pemeriksaan"]["cadangan"]


def test_a_backup_older_than_the_limit_is_503_even_after_a_newer_failed_one(client, healthy, settings):
    BackupLog.objects.filter(jenis=BackupLog.Kind.CADANGAN).update(selesai=timezone.now() - timedelta(hours=27))
    _backup_logged(BackupLog.Kind.CADANGAN, berhasil=False)
    status, backup = _backup_finding(client, settings)
    assert status == 503 and backup["status"] == "gagal"
    assert backup["keterangan"].endswith("lebih dari 26 jam lalu.") and "WIB" in backup["keterangan"]
    assert backup["angka"]["umur_jam"] >= 27


def test_no_backup_yet_warns_and_an_overdue_drill_warns(client, healthy, settings):
    BackupLog.objects.filter(jenis=BackupLog.Kind.LATIHAN).update(selesai=timezone.now() - timedelta(days=31))
    status, backup = _backup_finding(client, settings)
    assert status == 200 and backup["status"] == "peringatan"
    assert "latihan pemulihan sudah jatuh tempo" in backup["keterangan"]
    BackupLog.objects.all().delete()
    status, backup = _backup_finding(client, settings)
    assert status == 200 and backup["status"] == "peringatan"
    assert backup["keterangan"] == "Belum ada cadangan yang berhasil (piak backup)."
