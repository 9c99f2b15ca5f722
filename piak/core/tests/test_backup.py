"""`piak backup` / `piak restore` in process: what an archive holds, every refusal of a damaged or foreign archive
and of a non-empty target, the log and its retention, the daily task and the Admin's page. The whole round trip
between two real instances is in test_backup_instance.py."""

import hashlib
import io
import json
import os
import stat
import tarfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from piak.core import backup, roles
from piak.core.checkpoints import checkpoints_read
from piak.core.errors import DomainError
from piak.core.models import AuditEvent, BackupLog
from piak.core.selectors import cadangan_terakhir
from piak.core.services import backup_create, backup_drill, backup_prune, backup_restore
from piak.core.tasks import backup_daily_task

PAGE = reverse("cadangan:log")


@pytest.fixture
def folders(settings, tmp_path, signer_dir):
    """The instance's data folders in the test's folder, with one upload and one snapshot file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.PIAK_SIGNER_DIR = signer_dir
    settings.PIAK_CADANGAN_DIR = tmp_path / "cadangan"
    (tmp_path / "media" / "naskah").mkdir(parents=True)
    (tmp_path / "media" / "naskah" / "surat.pdf").write_bytes(b"%PDF-1.7 surat " * 1000)
    (tmp_path / "snapshot" / "2026").mkdir(parents=True)
    (tmp_path / "snapshot" / "2026" / "penduduk.parquet").write_bytes(os.urandom(3 * 1024**2))
    return tmp_path


@pytest.fixture
def archive(transactional_db, folders, make_official) -> Path:
    make_official("kasi", roles.KASI_SIAK)  # a user and audit events in the dump
    return Path(backup_create().arsip)


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar if member.isfile()}


def archive_write(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def unpack(path: Path, tmp_path: Path) -> backup.CheckedArchive:
    staging = tmp_path / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    return backup.archive_unpack(path, staging)


def test_a_backup_is_one_archive_for_its_owner_only_with_every_member_in_a_signed_manifest(archive, folders):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    members = members_of(archive)
    manifest = json.loads(members.pop(backup.MANIFEST))
    dump = f"basis-data/{backup.DUMP_NAMES[backup.vendor()]}"
    assert {"media/naskah/surat.pdf", "snapshot/2026/penduduk.parquet", "signer/kantor.key.pem", dump} <= set(members)
    assert "audit-checkpoints/checkpoints.jsonl" in members
    listed = {item["nama"]: item for item in manifest["anggota"]}
    assert listed.keys() == members.keys()
    for name, data in members.items():
        assert listed[name] == {"nama": name, "ukuran": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["vendor"] == backup.vendor() and manifest["versi_piak"] == "0.1.0"
    assert "0009_backup_log" in manifest["migrasi"]["core"]
    assert manifest["tanda"] == backup.manifest_signature(manifest)
    # the checkpoint for the backup was written first and travels in the archive
    (point,) = checkpoints_read().valid
    assert point.alasan == "cadangan" and manifest["checkpoint"] == {"seq": point.seq, "hash": point.hash}
    assert b'"alasan": "cadangan"' in members["audit-checkpoints/checkpoints.jsonl"]
    log = BackupLog.objects.get()
    assert (log.jenis, log.berhasil, log.arsip, log.ukuran) == ("cadangan", True, str(archive), archive.stat().st_size)
    assert log.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    event = AuditEvent.objects.get(action="backup.created")
    assert event.payload["sha256"] == log.sha256 and event.payload["berhasil"] is True


def test_an_intact_archive_unpacks_with_its_manifest(archive, tmp_path):
    checked = unpack(archive, tmp_path)
    assert checked.dump.is_file()
    assert (checked.folder("media") / "naskah" / "surat.pdf").read_bytes() == b"%PDF-1.7 surat " * 1000


def test_a_truncated_archive_is_refused(archive, tmp_path):
    data = archive.read_bytes()
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(DomainError) as refused:
        unpack(truncated, tmp_path)
    assert refused.value.code == "backup_archive_damaged"
    assert "terpotong atau rusak" in refused.value.message and "Tujuan pemulihan tidak diubah" in refused.value.message


def test_an_archive_cut_after_a_whole_member_is_refused_for_its_missing_manifest(archive, tmp_path):
    members = members_of(archive)
    del members[backup.MANIFEST]
    with pytest.raises(DomainError) as refused:
        unpack(archive_write(tmp_path / "tanpa-manifest.tar.gz", members), tmp_path)
    assert refused.value.code == "backup_no_manifest"


def test_an_altered_member_is_refused_by_name(archive, tmp_path):
    members = members_of(archive)
    members["media/naskah/surat.pdf"] = b"%PDF-1.7 surat palsu"
    with pytest.raises(DomainError) as refused:
        unpack(archive_write(tmp_path / "diubah.tar.gz", members), tmp_path)
    assert refused.value.code == "backup_member_mismatch"
    assert "'media/naskah/surat.pdf' berubah" in refused.value.message


def test_a_flipped_byte_in_the_compressed_stream_is_refused(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "rusak.tar.gz"
    damaged.write_bytes(bytes(data))
    with pytest.raises(DomainError) as refused:
        unpack(damaged, tmp_path)
    assert refused.value.code in {"backup_archive_damaged", "backup_member_mismatch"}


def test_missing_and_extra_members_are_refused(archive, tmp_path):
    members = members_of(archive)
    del members["snapshot/2026/penduduk.parquet"]
    members["media/tambahan.pdf"] = b"%PDF-1.7 tambahan"
    with pytest.raises(DomainError) as refused:
        unpack(archive_write(tmp_path / "beda.tar.gz", members), tmp_path)
    assert "'snapshot/2026/penduduk.parquet' hilang" in refused.value.message
    assert "'media/tambahan.pdf' tidak tercatat di manifest" in refused.value.message


def test_a_manifest_rewritten_to_match_or_signed_by_another_office_is_refused(archive, tmp_path, settings):
    members = members_of(archive)
    members["media/naskah/surat.pdf"] = b"%PDF-1.7 surat palsu"
    manifest = json.loads(members[backup.MANIFEST])
    for item in manifest["anggota"]:
        if item["nama"] == "media/naskah/surat.pdf":
            item.update(ukuran=20, sha256=hashlib.sha256(b"%PDF-1.7 surat palsu").hexdigest())
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with pytest.raises(DomainError) as refused:
        unpack(archive_write(tmp_path / "manifest-ditulis-ulang.tar.gz", members), tmp_path)
    assert refused.value.code == "backup_foreign_archive"
    settings.AUDIT_CHAIN_KEY = "kunci-kantor-lain-0123456789"
    with pytest.raises(DomainError) as foreign:
        unpack(archive, tmp_path / "lain")
    assert foreign.value.code == "backup_foreign_archive" and "AUDIT_CHAIN_KEY" in foreign.value.message


def test_foreign_tars_are_refused(tmp_path, folders):
    (tmp_path / "x").mkdir()
    with pytest.raises(DomainError) as escape:
        unpack(archive_write(tmp_path / "jahat.tar.gz", {"../../etc/cron.d/x": b"* * * * * root sh"}), tmp_path)
    assert escape.value.code == "backup_foreign_member" and not (tmp_path.parent / "etc").exists()
    with pytest.raises(DomainError) as other:
        unpack(
            archive_write(tmp_path / "lain.tar.gz", {"media/a.txt": b"a", backup.MANIFEST: b'{"anggota": []}'}),
            tmp_path,
        )
    assert other.value.code == "backup_foreign_archive" and "bukan arsip cadangan PIAK" in other.value.message
    not_gzip = tmp_path / "bukan.tar.gz"
    not_gzip.write_bytes(b"PK\x03\x04 zip, bukan tar")
    with pytest.raises(DomainError) as damaged:
        unpack(not_gzip, tmp_path)
    assert damaged.value.code == "backup_archive_damaged"
    with pytest.raises(DomainError) as missing:
        unpack(tmp_path / "tidak-ada.tar.gz", tmp_path)
    assert missing.value.code == "backup_archive_missing"


def test_a_restore_into_an_instance_that_holds_data_is_refused_and_changes_nothing(archive, folders):
    before = sorted(path for path in folders.rglob("*") if "cadangan" not in path.parts)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        backup_restore(arsip=archive)
    assert refused.value.code == "backup_target_not_empty"
    assert "pengguna" in refused.value.message and "peristiwa audit" in refused.value.message
    assert f"folder {folders / 'media'} tidak kosong" in refused.value.message
    assert sorted(path for path in folders.rglob("*") if "cadangan" not in path.parts) == before
    assert AuditEvent.objects.count() == events and not BackupLog.objects.filter(jenis="pemulihan").exists()


def test_an_archive_from_a_newer_piak_is_named_as_such(archive, tmp_path):
    manifest = unpack(archive, tmp_path).manifest
    assert backup.unknown_migrations(manifest) == []
    manifest["migrasi"]["core"].append("9999_dari_masa_depan")
    assert backup.unknown_migrations(manifest) == ["core.9999_dari_masa_depan"]


def test_a_failed_backup_is_logged_and_leaves_no_archive(transactional_db, folders):
    blocked = folders / "bukan-folder"
    blocked.write_text("sebuah berkas")
    with pytest.raises(DomainError) as failed:
        backup_create(keluaran=blocked)
    assert failed.value.code == "backup_failed"
    log = BackupLog.objects.get()
    assert not log.berhasil and log.pesan
    assert AuditEvent.objects.get(action="backup.created").payload["berhasil"] is False
    assert cadangan_terakhir(jenis="cadangan") is None


def test_a_drill_of_a_damaged_archive_is_logged_as_failed(archive, tmp_path):
    data = archive.read_bytes()
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    log = backup_drill(arsip=truncated)
    assert not log.berhasil and log.pesan.startswith("restore gagal:") and "terpotong" in log.pesan
    assert cadangan_terakhir(jenis="latihan") is None
    assert not list(archive.parent.glob(".latihan-*")), "the throwaway instance is cleaned up"


def _logged_archive(folder: Path, name: str, when: datetime, berhasil: bool = True) -> BackupLog:
    path = folder / name
    path.write_bytes(b"arsip")
    return BackupLog.objects.create(
        jenis="cadangan", mulai=when, selesai=when, berhasil=berhasil, arsip=str(path), pemicu="jadwal"
    )


def test_retention_keeps_the_newest_archives_and_every_log_row(db, settings, tmp_path):
    settings.PIAK_CADANGAN_DIR = tmp_path / "cadangan"
    settings.PIAK_CADANGAN_SIMPAN = 2
    settings.PIAK_CADANGAN_DIR.mkdir()
    now = timezone.now()
    rows = [
        _logged_archive(settings.PIAK_CADANGAN_DIR, f"a{day}.tar.gz", now - timedelta(days=day)) for day in range(4)
    ]
    elsewhere = _logged_archive(tmp_path, "di-luar.tar.gz", now - timedelta(days=9))  # written with --keluaran
    assert backup_prune() == [rows[2].arsip, rows[3].arsip]
    assert [Path(row.arsip).exists() for row in rows] == [True, True, False, False]
    assert Path(elsewhere.arsip).exists()
    assert BackupLog.objects.count() == 5
    assert BackupLog.objects.filter(dihapus_pada__isnull=False).count() == 2
    assert AuditEvent.objects.get(action="backup.pruned").payload == {
        "dihapus": [rows[2].arsip, rows[3].arsip],
        "simpan": 2,
    }
    assert backup_prune() == []
    with pytest.raises(DomainError) as refused:
        backup_prune(simpan=0)
    assert refused.value.code == "backup_retention_invalid"


def test_a_backup_inside_a_transaction_is_refused(db, folders):
    with pytest.raises(DomainError) as refused:
        backup_create()
    assert refused.value.code == "backup_in_transaction" and not BackupLog.objects.exists()


def test_the_newest_successful_backup_and_drill(db, tmp_path):
    now = timezone.now()
    _logged_archive(tmp_path, "lama.tar.gz", now - timedelta(days=2))
    newest = _logged_archive(tmp_path, "baru.tar.gz", now - timedelta(days=1))
    _logged_archive(tmp_path, "gagal.tar.gz", now, berhasil=False)
    assert cadangan_terakhir(jenis="cadangan") == newest
    assert cadangan_terakhir(jenis="latihan") is None


def test_the_daily_task_backs_up_prunes_and_queues_tomorrow(transactional_db, folders, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.PIAK_CADANGAN_SIMPAN = 1
    (folders / "cadangan").mkdir()
    old = _logged_archive(folders / "cadangan", "lama.tar.gz", timezone.now() - timedelta(days=1))
    path = Path(backup_daily_task.call())
    assert path.is_file() and path.parent == folders / "cadangan"
    assert not Path(old.arsip).exists()
    assert BackupLog.objects.get(arsip=str(path)).pemicu == "jadwal"
    (queued,) = backup_daily_task.get_backend().results
    assert queued.task.run_after > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db(transaction=True)
def test_scheduling_the_daily_backup_queues_it_once(capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("backup", "--jadwalkan")
    call_command("backup", "--jadwalkan")
    assert DBTaskResult.objects.filter(task_path="piak.core.tasks.backup_daily_task").count() == 1
    assert "sudah ada di antrean" in capsys.readouterr().out


def test_the_admin_sees_the_log_and_the_date_of_the_last_successful_drill(client, make_official, tmp_path):
    when = timezone.make_aware(datetime(2026, 11, 30, 9, 15))
    BackupLog.objects.create(
        jenis="latihan",
        mulai=when,
        selesai=when,
        berhasil=True,
        arsip="/cadangan/a.tar.gz",
        pemicu="perintah",
        pesan="verify-audit: Rantai audit utuh",
    )
    _logged_archive(tmp_path, "gagal.tar.gz", timezone.now(), berhasil=False)
    client.force_login(make_official("admin", roles.ADMIN))
    page = client.get(PAGE).content.decode()
    assert "Latihan pemulihan terakhir yang berhasil" in page and "30-11-2026 09:15 WIB" in page
    assert "Belum ada cadangan yang berhasil." in page and "Gagal" in page and "gagal.tar.gz" in page
    assert f'href="{PAGE}"' in page  # in the menu


def test_a_superuser_without_a_role_sees_the_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="rahasia-uji-123"))
    page = client.get(PAGE)
    assert page.status_code == 200 and "Belum pernah ada latihan pemulihan yang berhasil." in page.content.decode()


@pytest.mark.parametrize("role", [roles.STAF, roles.KASI_TKSDM_TIK, roles.KEPALA_DINAS])
def test_other_officials_may_not_see_the_backup_log(client, make_official, role):
    client.force_login(make_official("pejabat", role))
    assert client.get(PAGE).status_code == 403
    assert f'href="{PAGE}"' not in client.get(reverse("home")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
