"""The signing passphrase: set on first use, argon2-hashed, required to sign, locked after 5 wrong tries."""

import pytest

from piak.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from piak.core.models import AuditEvent
from piak.naskah import services, sop_steps
from piak.naskah.models import Naskah, Penghitung, SigningPassphrase
from piak.sop import services as sop_services

from .helpers import TEST_PASSPHRASE, passphrase_for

pytestmark = pytest.mark.django_db


def test_passphrase_is_set_once_hashed_with_argon2_and_changed_with_the_old_one(officials):
    kadis = officials["kadis"]
    record = services.passphrase_set(user=kadis, baru=TEST_PASSPHRASE, ulang=TEST_PASSPHRASE)
    assert record.hash.startswith("argon2") and TEST_PASSPHRASE not in record.hash
    with pytest.raises(ValidationFailed) as error:
        services.passphrase_set(user=kadis, baru="frasa-baru-2027", ulang="frasa-baru-2027", lama="salah-sekali")
    assert error.value.code == "naskah_passphrase_old_wrong"
    services.passphrase_set(user=kadis, baru="frasa-baru-2027", ulang="frasa-baru-2027", lama=TEST_PASSPHRASE)
    assert [e.payload["diganti"] for e in AuditEvent.objects.filter(action="naskah.passphrase_diatur")] == [
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("baru", "ulang", "code"),
    [
        ("pendek", "pendek", "naskah_passphrase_too_short"),
        ("frasa-panjang-1", "frasa-panjang-2", "naskah_passphrase_mismatch"),
        ("rahasia-uji-123", "rahasia-uji-123", "naskah_passphrase_is_password"),  # the login password
    ],
)
def test_a_weak_or_mistyped_passphrase_is_refused(officials, baru, ulang, code):
    with pytest.raises(ValidationFailed) as error:
        services.passphrase_set(user=officials["kadis"], baru=baru, ulang=ulang)
    assert error.value.code == code
    assert not SigningPassphrase.objects.exists()


def test_someone_without_a_role_sets_no_passphrase(make_official):
    with pytest.raises(PermissionDeniedError):
        services.passphrase_set(user=make_official("tamu"), baru=TEST_PASSPHRASE, ulang=TEST_PASSPHRASE)


def test_signing_without_a_passphrase_set_is_refused(draft, officials):
    with pytest.raises(PermissionDeniedError) as error:
        services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase="apa-saja-123")
    assert error.value.code == "naskah_passphrase_not_set"


def test_a_wrong_passphrase_signs_nothing_and_takes_no_number(draft, officials):
    passphrase_for(officials["kadis"])
    with pytest.raises(PermissionDeniedError) as error:
        services.naskah_sign(naskah=draft, by=officials["kadis"], passphrase="bukan-passphrase")
    assert error.value.code == "naskah_passphrase_wrong" and "Sisa 4 kali" in error.value.message
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF and draft.nomor == ""
    assert not Penghitung.objects.filter(terakhir__gt=0).exists()


def _sop1_at_signature(draft, officials):
    case = sop_steps.case_start_for_naskah(naskah=draft, user=officials["kasi"])
    run = case.step_runs.get(selesai_pada__isnull=True)
    sop_services.step_complete(
        step_run=run, user=officials["kasi"], checklist=list(case.versi.definition.step(1).checklist)
    )
    for user in (officials["kabid"], officials["kabid"], officials["sekretaris"]):
        sha = case.documents.order_by("-nomor").first().sha256
        sop_services.step_paraf(step_run=case.step_runs.get(selesai_pada__isnull=True), user=user, document_hash=sha)
    return case


@pytest.mark.django_db(transaction=True)
def test_five_wrong_tries_lock_the_passphrase_although_signing_rolls_back(draft, officials):
    """No test transaction around it: each wrong try's signing transaction really rolls back (SQLite
    and PostgreSQL), and the failures are still counted."""
    kadis = officials["kadis"]
    passphrase_for(kadis)
    case = _sop1_at_signature(draft, officials)
    sha = case.documents.order_by("-nomor").first().sha256
    for attempt in range(1, 6):
        run = case.step_runs.get(selesai_pada__isnull=True)
        with pytest.raises(PermissionDeniedError) as error:
            sop_services.step_sign(step_run=run, user=kadis, document_hash=sha, passphrase=f"tebakan-{attempt}")
        assert error.value.code == "naskah_passphrase_wrong"
        assert SigningPassphrase.objects.get(user=kadis).gagal == attempt
    assert "terkunci" in error.value.message and "hubungi Admin" in error.value.message
    record = SigningPassphrase.objects.get(user=kadis)
    assert record.terkunci_pada is not None
    run = case.step_runs.get(selesai_pada__isnull=True)
    with pytest.raises(PermissionDeniedError) as error:
        sop_services.step_sign(step_run=run, user=kadis, document_hash=sha, passphrase=TEST_PASSPHRASE)
    assert error.value.code == "naskah_passphrase_locked"
    assert AuditEvent.objects.filter(action="naskah.passphrase_salah").count() == 5
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DRAF and run.langkah == 5

    with pytest.raises(PermissionDeniedError):
        services.passphrase_unlock(record=record, by=officials["kabid"])
    services.passphrase_unlock(record=record, by=officials["admin"])
    sop_services.step_sign(step_run=run, user=kadis, document_hash=sha, passphrase=TEST_PASSPHRASE)
    draft.refresh_from_db()
    assert draft.status == Naskah.Status.DITANDATANGANI
    assert AuditEvent.objects.filter(action="naskah.passphrase_dibuka").count() == 1


@pytest.mark.django_db(transaction=True)
def test_wrong_tries_on_naskah_sign_itself_are_counted(draft, officials):
    kadis = officials["kadis"]
    passphrase_for(kadis)
    for _ in range(2):
        with pytest.raises(PermissionDeniedError):
            services.naskah_sign(naskah=draft, by=kadis, passphrase="salah-lagi-dong")
    assert SigningPassphrase.objects.get(user=kadis).gagal == 2
    services.naskah_sign(naskah=draft, by=kadis, passphrase=TEST_PASSPHRASE)
    assert SigningPassphrase.objects.get(user=kadis).gagal == 0  # a right one ends the run of wrong tries


def test_unlocking_an_unlocked_passphrase_is_refused(officials):
    record = services.passphrase_set(user=officials["kadis"], baru=TEST_PASSPHRASE, ulang=TEST_PASSPHRASE)
    with pytest.raises(DomainError) as error:
        services.passphrase_unlock(record=record, by=officials["admin"])
    assert error.value.code == "naskah_passphrase_not_locked"


def test_admin_unlocks_in_the_admin(officials, client):
    record = services.passphrase_set(user=officials["kadis"], baru=TEST_PASSPHRASE, ulang=TEST_PASSPHRASE)
    SigningPassphrase.objects.filter(pk=record.pk).update(gagal=5, terkunci_pada="2026-01-05T10:00:00+07:00")
    admin = officials["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/naskah/signingpassphrase/"
    assert "Dr. H. Bambang Irawan" in client.get(url).text
    response = client.post(url, {"action": "unlock", "_selected_action": [record.pk]}, follow=True)
    assert "Kunci passphrase Dr. H. Bambang Irawan, M.Si. dibuka." in response.text
    record.refresh_from_db()
    assert record.terkunci_pada is None and record.gagal == 0


def test_passphrase_page_sets_and_changes_it(officials, client):
    client.force_login(officials["kadis"])
    assert "Anda belum mengatur passphrase" in client.get("/naskah/passphrase/").text
    mismatch = client.post("/naskah/passphrase/", {"baru": TEST_PASSPHRASE, "ulang": "lain-lain-lain"})
    assert "Kedua isian passphrase baru tidak sama." in mismatch.text
    response = client.post("/naskah/passphrase/", {"baru": TEST_PASSPHRASE, "ulang": TEST_PASSPHRASE}, follow=True)
    assert "Passphrase penandatanganan tersimpan." in response.text and "Passphrase lama" in response.text
    missing_old = client.post("/naskah/passphrase/", {"baru": "frasa-baru-2027", "ulang": "frasa-baru-2027"})
    assert missing_old.status_code == 200 and "Passphrase lama" in missing_old.text
    assert SigningPassphrase.objects.get().hash.startswith("argon2")


def test_case_page_sign_form_asks_for_the_passphrase_and_links_to_set_it(draft, officials, client):
    case = _sop1_at_signature(draft, officials)
    client.force_login(officials["kadis"])
    page = client.get(f"/berkas/{case.pk}/").text
    assert 'type="password" name="passphrase"' in page and "Anda belum mengatur passphrase" in page
    assert "/naskah/passphrase/" in page
    sha = case.documents.order_by("-nomor").first().sha256
    seen = {"langkah_id": case.step_runs.get(selesai_pada__isnull=True).pk, "dokumen_sha256": sha}
    response = client.post(f"/berkas/{case.pk}/tanda_tangan/", {**seen, "passphrase": "x" * 9}, follow=True)
    assert "belum mengatur passphrase" in response.text
    assert case.step_runs.get(selesai_pada__isnull=True).langkah == 5
    passphrase_for(officials["kadis"])
    response = client.post(f"/berkas/{case.pk}/tanda_tangan/", {**seen, "passphrase": TEST_PASSPHRASE}, follow=True)
    assert "Dokumen ditandatangani." in response.text
