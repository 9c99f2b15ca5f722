from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piak.sop.models import Case, SopVersion, StepRun
from tests.sops.drive import latest, open_run, seen, start_case, walk_to

PASSWORD = "rahasia-uji-123"


def _as(client, user):
    client.force_login(user)
    return client


def test_pages_need_a_piak_role(client, office, make_official):
    nobody = make_official("tamu")
    _as(client, nobody)
    for name in ["sop:inbox", "sop:list", "sop:cases"]:
        assert client.get(reverse(name)).status_code == 403
    response = client.get(reverse("sop:inbox"))
    assert "Akses ditolak" in response.content.decode()


def test_inbox_shows_the_waiting_step_with_its_badge(client, office):
    case = walk_to(start_case("sop-1", office), 2, office)
    html = _as(client, office["kabid_piak"]).get(reverse("sop:inbox")).content.decode()
    assert case.judul in html
    assert "Tepat waktu" in html
    assert "Menelaah dan mengoreksi data" in html


def test_sop1_is_not_started_from_mulai_berkas_but_from_a_data_request(client, office):
    _as(client, office["kasi_ppd"])
    response = client.post(
        reverse("sop:start", args=["sop-1"]),
        {"judul": "Data penduduk untuk BPS", "berkas": SimpleUploadedFile("lap.pdf", b"%PDF-1.4 x")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("naskah:permintaan_list")
    assert "SOP 1 dimulai dari Permintaan Data" in response.content.decode()
    assert not Case.objects.exists()
    listing = client.get(reverse("sop:list")).content.decode()
    assert reverse("sop:start", args=["sop-1"]) not in listing and "Mulai dari Permintaan Data" in listing


def test_start_is_refused_to_a_role_that_does_not_perform_step_one(client, office):
    _as(client, office["sekretaris"])
    assert client.get(reverse("sop:start", args=["sop-1"])).status_code == 403
    response = client.post(
        reverse("sop:start", args=["sop-1"]), {"judul": "x", "berkas": SimpleUploadedFile("lap.pdf", b"%PDF")}
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_work_plan_case_starts_with_its_plan(client, office):
    _as(client, office["staf"])
    client.post(
        reverse("sop:start", args=["sop-2"]),
        {
            "judul": "Pemeliharaan",
            "rk_judul": "RK Desember",
            "kg_1_uraian": "Cadangkan basis data",
            "kg_2_uraian": "Perbarui SIAK",
            "rk_dasar_hukum": "Perpres 96/2018",
        },
    )
    document = Case.objects.get().documents.get()
    assert [a["uraian"] for a in document.isi["kegiatan"]] == ["Cadangkan basis data", "Perbarui SIAK"]


def test_case_page_offers_only_the_users_actions(client, office):
    case = walk_to(start_case("sop-1", office), 2, office)
    kabid_page = _as(client, office["kabid_piak"]).get(reverse("sop:case", args=[case.pk])).content.decode()
    assert 'id="aksi-paraf"' in kabid_page and 'id="aksi-kembalikan"' in kabid_page
    client.logout()
    sekretaris_page = _as(client, office["sekretaris"]).get(reverse("sop:case", args=[case.pk])).content.decode()
    assert 'id="aksi-' not in sekretaris_page
    assert "Anda tidak mempunyai tindakan pada langkah ini." in sekretaris_page


def test_a_forged_paraf_is_refused_with_a_message_and_changes_nothing(client, office):
    case = walk_to(start_case("sop-1", office), 2, office)
    before = list(StepRun.objects.values_list("id", "selesai_pada"))
    _as(client, office["sekretaris"])
    response = client.post(reverse("sop:action", args=[case.pk, "paraf"]), seen(case), follow=True)
    assert "tidak memegang jabatan itu hari ini" in response.content.decode()
    assert list(StepRun.objects.values_list("id", "selesai_pada")) == before


def test_return_through_the_page_needs_a_reason(client, office):
    case = walk_to(start_case("sop-1", office), 2, office)
    _as(client, office["kabid_piak"])
    response = client.post(
        reverse("sop:action", args=[case.pk, "kembalikan"]), seen(case, ke_langkah="1", alasan=""), follow=True
    )
    assert "Alasan pengembalian: Bidang ini tidak boleh kosong." in response.content.decode()
    assert open_run(case).langkah == 2
    client.post(reverse("sop:action", args=[case.pk, "kembalikan"]), seen(case, ke_langkah="1", alasan="Tabel 2 salah"))
    assert (open_run(case).langkah, open_run(case).percobaan) == (1, 2)
    html = client.get(reverse("sop:case", args=[case.pk])).content.decode()
    assert "Dikembalikan ke langkah 1" in html and "Tabel 2 salah" in html


def test_paraf_and_complete_through_the_pages(client, office):
    case = start_case("sop-1", office)
    _as(client, office["kasi_ppd"])
    client.post(
        reverse("sop:action", args=[case.pk, "selesai"]),
        seen(case, kelengkapan=["Surat Pengantar dan laporan data"], catatan="Siap ditelaah"),
    )
    assert open_run(case).langkah == 2
    client.logout()
    _as(client, office["kabid_piak"])
    client.post(reverse("sop:action", args=[case.pk, "paraf"]), seen(case))
    assert open_run(case).langkah == 3


def test_a_stale_paraf_form_is_refused_saying_who_acted_when(client, office):
    """The case open in two tabs: paraf step 2 in one, then press Paraf on the old form in the other."""
    case = walk_to(start_case("sop-1", office), 2, office)
    _as(client, office["kabid_piak"])
    old_form = seen(case)
    client.post(reverse("sop:action", args=[case.pk, "paraf"]), old_form)
    assert open_run(case).langkah == 3
    before = list(StepRun.objects.order_by("id").values_list("id", "selesai_pada", "hasil"))
    response = client.post(reverse("sop:action", args=[case.pk, "paraf"]), old_form, follow=True)
    html = response.content.decode()
    assert "Langkah 2 (percobaan 1) sudah diparaf oleh Pejabat kabid_piak pada" in html
    assert "Tindakan Anda tidak dicatat" in html
    assert list(StepRun.objects.order_by("id").values_list("id", "selesai_pada", "hasil")) == before


def test_a_form_without_the_step_it_was_shown_for_is_refused(client, office):
    case = walk_to(start_case("sop-1", office), 2, office)
    _as(client, office["kabid_piak"])
    response = client.post(reverse("sop:action", args=[case.pk, "paraf"]), {"catatan": "x"}, follow=True)
    assert "Formulir ini tidak lengkap" in response.content.decode()
    assert open_run(case).langkah == 2
    other = start_case("sop-1", office)  # a step run of another case is not this form's step
    response = client.post(
        reverse("sop:action", args=[case.pk, "paraf"]), {**seen(case), "langkah_id": open_run(other).pk}, follow=True
    )
    assert "Formulir ini tidak lengkap" in response.content.decode()
    assert open_run(case).langkah == 2


def test_a_paraf_on_a_document_that_changed_meanwhile_is_refused(client, office):
    case = walk_to(start_case("sop-2", office), 2, office)
    _as(client, office["kasi_siak"])
    response = client.post(
        reverse("sop:action", args=[case.pk, "paraf"]), seen(case, dokumen_sha256="0" * 64), follow=True
    )
    assert "Dokumen telah berubah sejak Anda membukanya" in response.content.decode()
    assert open_run(case).langkah == 2


def test_unknown_action_is_404(client, office):
    case = start_case("sop-1", office)
    assert (
        _as(client, office["kasi_ppd"]).post(reverse("sop:action", args=[case.pk, "hapus"]), seen(case)).status_code
        == 404
    )


def test_official_sop_document_page_and_pdf(client, office):
    _as(client, office["staf"])
    html = client.get(reverse("sop:document", args=["sop-2"])).content.decode()
    assert "PELAKSANAAN SISTEM INFORMASI ADMINISTRASI KEPENDUDUKAN" in html
    assert html.count("<svg") == 7
    pdf = client.get(reverse("sop:document_pdf", args=["sop-2"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_new_version_page_is_admin_only(client, office):
    _as(client, office["kabid_piak"])
    assert client.get(reverse("sop:new_version", args=["sop-1"])).status_code == 403
    assert (
        client.post(reverse("sop:new_version", args=["sop-1"]), {"yaml_text": "x", "aksi": "terbitkan"}).status_code
        == 403
    )
    assert SopVersion.objects.filter(kode="sop-1").count() == 1


def test_admin_previews_diff_then_publishes(client, office):
    _as(client, office["admin"])
    changed = latest("sop-1").yaml_text.replace("waktu: 60 menit", "waktu: 2 jam")
    preview = client.post(reverse("sop:new_version", args=["sop-1"]), {"yaml_text": changed, "aksi": "pratinjau"})
    html = preview.content.decode()
    assert "Definisi sah" in html and "+    waktu: 2 jam" in html and "-    waktu: 60 menit" in html
    client.post(
        reverse("sop:new_version", args=["sop-1"]),
        {"yaml_text": changed, "aksi": "terbitkan", "catatan": "Verifikasi sekretaris 2 jam"},
    )
    assert latest("sop-1").nomor_versi == 2


def test_invalid_new_version_shows_every_error_and_publishes_nothing(client, office):
    _as(client, office["admin"])
    broken = latest("sop-1").yaml_text.replace("pelaksana: sekretaris\n", "pelaksana: camat\n")
    html = client.post(
        reverse("sop:new_version", args=["sop-1"]), {"yaml_text": broken, "aksi": "terbitkan"}
    ).content.decode()
    assert "Definisi belum sah" in html and "&#x27;camat&#x27; bukan salah satu kolom pelaksana" in html
    assert latest("sop-1").nomor_versi == 1


def test_notifications_belong_to_their_user(client, office):
    from piak.sop.models import Notification

    case = start_case("sop-1", office)
    notice = Notification.objects.create(
        user=office["kasi_ppd"], step_run=open_run(case), level="peringatan", pesan="Segera"
    )
    _as(client, office["kabid_piak"])
    assert client.post(reverse("sop:notification_read", args=[notice.pk])).status_code == 403
    client.logout()
    _as(client, office["kasi_ppd"])
    assert "Segera" in client.get(reverse("sop:notifications")).content.decode()
    client.post(reverse("sop:notification_read", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.dibaca_pada is not None
