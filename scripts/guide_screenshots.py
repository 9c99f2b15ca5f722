"""Screenshots for the user guide (docs/panduan/gambar/), taken in Chromium from a throwaway demo instance.

`make panduan-gambar` runs this. It sets up a fresh instance in a temporary folder (reference data, a
5,000-person synthetic register, the demo officials and their ten weeks of SOP work), starts it, and then
walks through each role's everyday tasks the way the guide describes them, saving a picture at each step.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect, sync_playwright

from piak.core.demo_logins import DEMO_LOGINS

ROOT = Path(__file__).resolve().parents[1]
PIAK = ROOT / ".venv" / "bin" / "piak"
OUT = ROOT / "docs" / "panduan" / "gambar"
DEMO_PASSPHRASE = "tanda-tangan-demo-2026"  # piak.beranda.demo.DEMO_PASSPHRASE
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
REPORT_TITLE = re.compile("Badan Pusat Statistik Kota Palembang")  # the request this guide makes, not the demo's


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def piak(env: dict, *args: str) -> None:
    subprocess.run([str(PIAK), *args], env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def demo_instance():
    """A fresh demo instance served on a free port; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="piak-panduan-") as data:
        env = {**os.environ, "PIAK_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "piak.settings.dev"}
        city = Path(data) / "kota.csv"
        for args in (["migrate", "--noinput"], ["load-reference"],
                     ["generate", "--people", "5000", "--seed", "7", "--out", str(city)], ["import", str(city)],
                     ["signer-init"], ["demo-users"], ["demo-cases"]):  # fmt: skip
            piak(env, *args)
        port = free_port()
        quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        server = subprocess.Popen([str(PIAK), "runserver", "--insecure", f"127.0.0.1:{port}", "--noreload"], **quiet)
        worker = subprocess.Popen([str(PIAK), "db_worker", "--no-reload", "--queue-name", "*"], **quiet)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait()


def shrink(path: Path) -> None:
    """A 256-colour palette keeps interface screenshots sharp at a fraction of the size in the repository."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


class Guide:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def shot(self, name: str, *, full: bool = False, element: str | None = None, parent: bool = False) -> None:
        path = OUT / f"{name}.png"
        if element:
            target = self.page.locator(element).first
            (target.locator("xpath=..") if parent else target).screenshot(path=path)
        else:
            self.page.screenshot(path=path, full_page=full)
        shrink(path)
        print(f"  {path.relative_to(ROOT)}")

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def log_in(self, username: str) -> None:
        if self.page.get_by_role("button", name="Keluar").count():
            self.page.get_by_role("button", name="Keluar").click()
        self.go("/masuk/")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(DEMO_LOGINS[username])
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_url(self.base + "/")

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=name, exact=True).click()

    def open_task(self, title) -> None:
        self.menu("Tugas Saya")
        self.page.get_by_role("link", name=title).first.click()

    def press(self, form: str, button: str) -> None:
        self.page.locator(f"#{form}").get_by_role("button", name=button).click()
        expect(self.page.locator(".alert-success").first).to_be_visible()

    def complete_step(self) -> None:
        for box in self.page.locator("#aksi-selesai").get_by_role("checkbox").all():
            box.check()
        self.press("aksi-selesai", "Selesai")

    def complete_step_refused(self) -> None:
        for box in self.page.locator("#aksi-selesai").get_by_role("checkbox").all():
            box.check()
        self.page.locator("#aksi-selesai").get_by_role("button", name="Selesai").click()
        expect(self.page.locator(".alert-danger").first).to_be_visible()


def common(g: Guide) -> None:
    g.go("/masuk/")
    g.shot("umum-masuk")
    g.log_in("operator")
    g.shot("umum-beranda-staf")
    g.menu("Tugas Saya")
    g.shot("umum-tugas-saya")


def staf(g: Guide) -> None:
    g.log_in("operator")
    g.menu("SOP")
    g.shot("staf-daftar-sop")
    g.open_task("Pemeliharaan basis data SIAK")
    g.shot("staf-langkah-1", full=True)
    g.complete_step()
    g.shot("staf-langkah-selesai")
    g.menu("Register penduduk")
    g.shot("staf-register-cari")
    g.page.get_by_label("Cari").fill("Siti")
    g.page.get_by_role("button", name="Cari").click()
    g.shot("staf-register-hasil")
    g.page.locator("table a").first.click()
    g.shot("staf-penduduk-detail", full=True)


def kasi_siak(g: Guide) -> None:
    g.log_in("kasi.siak")
    g.shot("kasi-siak-beranda")
    g.open_task("Pemeliharaan basis data SIAK")
    g.shot("kasi-siak-paraf", full=True)
    g.press("aksi-paraf", "Paraf")
    g.menu("Impor SIAK")
    g.shot("kasi-siak-impor", full=True)
    g.menu("Kualitas data")
    g.shot("kasi-siak-kualitas-data")


SOP2_TITLE = "Pemeliharaan basis data SIAK"
OPERATOR = "Rina Marlina, S.Kom. — Operator SIAK"


def _disposisi_to_operator(g: Guide, username: str, text: str) -> None:
    g.log_in(username)
    g.open_task(SOP2_TITLE)
    form = g.page.locator("#aksi-disposisi")
    form.get_by_label("Kepada").select_option(label=OPERATOR)
    form.get_by_label("Isi disposisi").fill(text)
    g.press("aksi-disposisi", "Kirim disposisi")


def sop2_work(g: Guide) -> None:
    """SOP 2's steps 5 and 7 for the Staf's and the Kasi SIAK's chapters: the data prepared, the work logged."""
    g.log_in("kabid")
    g.open_task(SOP2_TITLE)
    g.press("aksi-paraf", "Paraf")
    _disposisi_to_operator(g, "kadis", "Siapkan data penduduk untuk pembersihan data ganda")
    g.log_in("operator")
    g.open_task(SOP2_TITLE)
    g.complete_step_refused()
    g.shot("staf-langkah5-ditolak")
    g.page.get_by_role("button", name="Lampirkan laporan kualitas data").click()
    g.shot("staf-langkah5-bahan", element="#penyiapan-data")
    g.complete_step()
    _disposisi_to_operator(g, "kabid", "Laksanakan entri data dan koreksi data ganda")
    g.log_in("operator")
    g.open_task(SOP2_TITLE)
    g.shot("staf-langkah7-catatan-kerja", element="#catatan-kerja")
    g.log_in("kasi.siak")
    g.shot("kasi-siak-pekerjaan-sop2", element="#judul-sop2", parent=True)


def kasi_tik(g: Guide) -> None:
    g.log_in("kasi.tik")
    g.shot("kasi-tik-beranda")
    g.open_task("Penggantian perangkat")
    g.shot("kasi-tik-langkah-terlambat", full=True)


def kasi_ppd_request(g: Guide) -> None:
    g.log_in("kasi.ppd")
    g.menu("Permintaan Data")
    g.page.get_by_role("link", name="Catat permintaan").click()
    fields = {
        "Instansi": "Badan Pusat Statistik Kota Palembang",
        "Jabatan yang dituju": "Kepala Badan Pusat Statistik Kota Palembang",
        "Nomor surat permohonan": "B-123/16710/HM.100/2026",
        "Tanggal surat permohonan": "2026-11-10",
        "Keperluan": "penyusunan publikasi Kota Palembang Dalam Angka 2027",
        "Dasar hukum": "Permendagri Nomor 102 Tahun 2019",
        "Data per tanggal": "2026-06-30",
        "Surel kontak": "bps1671@bps.go.id",
    }
    for label, value in fields.items():
        g.page.get_by_label(label).fill(value)
    g.page.get_by_label("T1 — Penduduk menurut jenis kelamin", exact=False).check()
    g.page.get_by_label("T2 — Kelompok umur", exact=False).check()
    g.shot("kasi-ppd-permintaan-baru", full=True)
    g.page.get_by_role("button", name="Simpan").click()
    g.shot("kasi-ppd-permintaan-detail", full=True)
    g.page.get_by_role("button", name="Susun laporan dan surat, mulai SOP 1").click()
    expect(g.page.locator(".alert-success")).to_contain_text("SOP 1 dimulai")
    g.shot("kasi-ppd-sop1-langkah-1", full=True)
    g.complete_step()


def kabid(g: Guide) -> None:
    g.log_in("kabid")
    g.shot("kabid-beranda")
    g.open_task(REPORT_TITLE)
    g.page.locator("#aksi-kembalikan").get_by_label("Alasan pengembalian").fill(
        "Perihal surat agar menyebut semester dan tahun data."
    )
    g.shot("kabid-kembalikan", full=True)
    g.press("aksi-kembalikan", "Kembalikan")


def kasi_ppd_correct(g: Guide) -> None:
    g.log_in("kasi.ppd")
    g.open_task(REPORT_TITLE)
    g.shot("kasi-ppd-dikembalikan", full=True)
    g.page.get_by_role("link", name=re.compile("Buka halaman surat")).first.click()
    g.page.get_by_label("Perihal").fill("Penyampaian Data Kependudukan Semester I Tahun 2026")
    g.shot("kasi-ppd-perbaiki-draf", full=True)
    g.page.get_by_role("button", name="Simpan draf baru").click()
    g.open_task(REPORT_TITLE)
    g.press("aksi-dokumen", "Ambil draf terbaru")
    g.complete_step()


def kabid_paraf(g: Guide) -> None:
    g.log_in("kabid")
    g.open_task(REPORT_TITLE)
    g.shot("kabid-paraf", full=True)
    g.press("aksi-paraf", "Paraf")
    g.press("aksi-paraf", "Paraf")


def sekretaris(g: Guide) -> None:
    g.log_in("sekretaris")
    g.shot("sekretaris-beranda")
    g.open_task(REPORT_TITLE)
    g.press("aksi-paraf", "Paraf")


def kadis(g: Guide) -> None:
    g.log_in("kadis")
    g.shot("kadis-beranda")
    g.shot("kadis-kepatuhan-grafik", element="section:has(#judul-kepatuhan)")
    g.open_task(REPORT_TITLE)
    g.shot("kadis-tandatangan", full=True)
    g.page.locator("#aksi-tanda_tangan").get_by_label("Passphrase penandatanganan").fill(DEMO_PASSPHRASE)
    g.press("aksi-tanda_tangan", "Tandatangani")
    g.shot("kadis-sudah-ditandatangani")
    g.menu("Kepatuhan")
    g.shot("kadis-laporan-kepatuhan")
    g.page.get_by_role("button", name="Susun laporan PDF").click()
    g.shot("kadis-laporan-pdf-disusun")
    expect(g.page.get_by_role("link", name="Unduh laporan (PDF)")).to_be_visible(timeout=120_000)
    g.shot("kadis-laporan-pdf-siap")
    g.menu("SOP")
    g.page.get_by_role("link", name="Dokumen SOP").first.click()
    g.shot("kadis-dokumen-sop")


def kasi_ppd_deliver(g: Guide) -> None:
    g.log_in("kasi.ppd")
    g.open_task(REPORT_TITLE)
    g.page.get_by_role("link", name=re.compile("Buka halaman surat")).first.click()
    g.shot("kasi-ppd-surat-ditandatangani", full=True)
    g.page.get_by_role("button", name="Kirim surel").click()
    g.shot("kasi-ppd-surat-terkirim", full=True)
    token_link = g.page.get_by_role("link", name=re.compile("verifikasi", re.IGNORECASE)).first
    verification = token_link.get_attribute("href")
    g.open_task(REPORT_TITLE)
    g.complete_step()
    g.shot("kasi-ppd-sop1-selesai", full=True)
    g.menu("Statistik")
    g.shot("kasi-ppd-statistik")
    g.page.locator("table a").first.click()
    g.shot("kasi-ppd-snapshot")
    g.menu("Register Surat")
    g.shot("kasi-ppd-register-surat")
    g.page.goto(g.base + urlsplit(verification).path)  # the printed address names the production host
    g.shot("publik-verifikasi", full=True)


def admin(g: Guide) -> None:
    g.log_in("admin")
    g.menu("Administrasi")
    g.shot("admin-beranda", full=True)
    g.go("/admin/core/roleholding/add/")
    g.shot("admin-plt-plh", full=True)
    _enter_plt(g)
    g.shot("admin-daftar-jabatan", full=True)
    g.go("/sop/")
    g.shot("admin-daftar-sop")
    g.log_in("kadis")
    g.menu("Konfirmasi Plt/Plh (1)")
    g.shot("kadis-konfirmasi-plt-plh")


def _enter_plt(g: Guide) -> None:
    """The Admin enters a Plt Kasi PPD (the demo's Plh Kabid already holds the Kabid's days); it waits for the
    Kepala Dinas's confirmation."""
    today = date.today()
    g.page.get_by_label("Pejabat").select_option(label="Rina Marlina, S.Kom. (operator)")
    g.page.get_by_label("Jabatan:", exact=True).select_option(label="Kepala Seksi Pengelolaan dan Penyajian Data")
    g.page.get_by_label("Kedudukan").select_option(label="Plt. (Pelaksana Tugas)")
    g.page.get_by_label("Mulai").fill(f"{today:%d-%m-%Y}")
    g.page.get_by_label("Selesai").fill(f"{today + timedelta(days=14):%d-%m-%Y}")
    g.page.get_by_label("Nomor SK / surat perintah").fill("800/0456/Disdukcapil/2026")
    g.page.get_by_label("Tanggal SK / surat perintah").fill(f"{today:%d-%m-%Y}")
    g.page.get_by_label("Keterangan").fill("Kepala Seksi PPD cuti tahunan")
    g.page.get_by_role("button", name="Simpan", exact=True).click()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_instance() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("PIAK_CHROMIUM", "/usr/bin/chromium"),
                                             args=CHROMIUM_ARGS)  # fmt: skip
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="id-ID")
        guide = Guide(context.new_page(), base)
        for chapter in (common, staf, kasi_siak, sop2_work, kasi_tik, kasi_ppd_request, kabid, kasi_ppd_correct,
                        kabid_paraf, sekretaris, kadis, kasi_ppd_deliver, admin):  # fmt: skip
            print(chapter.__name__)
            chapter(guide)
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
