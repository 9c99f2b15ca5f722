"""Demo cases for `make run`: ten weeks of SOP work laid down at the moments it happened, so the dashboards
and the compliance report have something to show on a fresh machine. Never used in production.

Each action runs with the clock set to its moment (time-machine, a development dependency), so step runs,
due times and the audit chain agree with each other exactly as if the officials had worked then.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from piak.core.demo import DEMO_OFFICIALS
from piak.core.models import User
from piak.core.worktime import WIB, WorkingCalendar, add_working_minutes, current_calendar
from piak.naskah import services as naskah_services
from piak.naskah import sop_steps
from piak.naskah.models import PermintaanData, SigningPassphrase
from piak.naskah.services import passphrase_set
from piak.siak.selectors import PREPARATION_STEP
from piak.siak.services import bahan_kualitas_data
from piak.sop import services
from piak.sop.definition import Step
from piak.sop.models import Case, SopVersion, StepRun

# The demo Kepala Dinas's signing passphrase (README, next to the demo password).
DEMO_PASSPHRASE = "tanda-tangan-demo-2026"
WEEKS = 10
PAST_CASES = 18
LATE_SHARE = 0.2
RETURN_SHARE = 0.12
UNTIMED_MINUTES = (60, 300)
# The agencies asking for data (SOP 1 starts from their request): instansi, addressee, purpose, tables.
REQUESTS = {
    "Badan Pusat Statistik Kota Palembang": (
        "Kepala Badan Pusat Statistik Kota Palembang",
        "penyusunan publikasi Kota Palembang Dalam Angka",
        ["T1", "T2"],
    ),
    "Komisi Pemilihan Umum Kota Palembang": (
        "Ketua Komisi Pemilihan Umum Kota Palembang",
        "pemutakhiran data pemilih berkelanjutan",
        ["T1", "T3"],
    ),
    "Dinas Pendidikan Kota Palembang": (
        "Kepala Dinas Pendidikan Kota Palembang",
        "perencanaan daya tampung sekolah menurut kelompok umur",
        ["T2"],
    ),
    "Dinas Kesehatan Kota Palembang": (
        "Kepala Dinas Kesehatan Kota Palembang",
        "perencanaan sasaran imunisasi dan layanan kesehatan ibu dan anak",
        ["T1", "T2"],
    ),
}
TITLES = {
    "sop-1": list(REQUESTS),
    "sop-2": [
        "Pembaruan aplikasi SIAK terpusat",
        "Pembersihan data ganda NIK",
        "Pemeliharaan basis data SIAK",
        "Rekonsiliasi data kartu keluarga",
    ],
    "sop-3": [
        "Pemeliharaan jaringan kantor",
        "Pelatihan operator pelayanan",
        "Penggantian perangkat perekaman KTP-el",
        "Uji cadangan server",
    ],
}
GENERIC_ACTIVITIES = ["Persiapan", "Pelaksanaan", "Laporan hasil"]
# SOP 2's plans name their work (kind, target, assignee), as the office's monthly plans do.
PLAN_ACTIVITIES = {
    "sop-2": [
        {"uraian": "Impor ekspor SIAK bulan lalu", "jenis": "impor", "sasaran": "Kota Palembang", "target": 1},
        {"uraian": "Koreksi data ganda", "jenis": "koreksi", "sasaran": "Ilir Barat I", "target": 2},
        {"uraian": "Entri kelahiran", "jenis": "entri_peristiwa", "sasaran": "Ilir Barat I", "target": 10},
        {"uraian": "Pembaruan klien SIAK loket", "jenis": "instalasi", "sasaran": "PC loket 1–3", "target": 3},
    ],
}
# The work under way today, named so the user guide can point at it.
CURRENT = {
    "sop-1": "Dinas Pendidikan Kota Palembang",
    "sop-2": "Pemeliharaan basis data SIAK",
    "sop-3": "Penggantian perangkat perekaman KTP-el",
}
RETURN_REASONS = [
    "Angka jumlah penduduk Kecamatan Ilir Barat I belum sesuai dengan data konsolidasi.",
    "Lampiran tabel kelompok umur belum disertakan.",
    "Dasar hukum pada rencana kerja perlu diperbarui.",
    "Jadwal kegiatan bentrok dengan pelayanan akhir pekan; mohon disesuaikan.",
]


class DemoWriter:
    """Lays down cases step by step, each action at its own moment in working time."""

    def __init__(self, *, seed: int, calendar: WorkingCalendar) -> None:
        import time_machine  # development dependency: only the demo moves the clock

        self.travel = time_machine.travel
        self.rng = random.Random(seed)
        self.calendar = calendar
        self.users = {o.role: User.objects.get(username=o.username) for o in DEMO_OFFICIALS}

    def at(self, moment: datetime, action: Callable):
        with self.travel(moment, tick=False):
            return action()

    def start(self, kode: str, moment: datetime, title: str | None = None) -> Case:
        versi = SopVersion.objects.filter(kode=kode).latest("nomor_versi")
        definition = versi.definition
        user = self.users[definition.step(1).pelaksana]
        title = title or self.rng.choice(TITLES[kode])
        if definition.berkas == "laporan":
            permintaan = self.at(moment, lambda: self.request(title, user, moment))
            return self.at(moment, lambda: sop_steps.case_start_for_request(permintaan=permintaan, user=user))
        plan = {"judul": title, "kegiatan": PLAN_ACTIVITIES.get(kode, GENERIC_ACTIVITIES), "dasar_hukum": ""}
        return self.at(moment, lambda: services.case_start(versi=versi, user=user, judul=title, rencana_kerja=plan))

    def request(self, instansi: str, user: User, moment: datetime) -> PermintaanData:
        """The agency's letter asking for data as of the last semester end, recorded by the Kasi PPD."""
        jabatan, keperluan, tables = REQUESTS[instansi]
        return naskah_services.permintaan_create(
            by=user,
            instansi=instansi,
            jabatan_tujuan=jabatan,
            nomor_surat=f"{self.rng.randint(100, 999)}/{moment:%m}/{moment:%Y}",
            tanggal_surat=moment.date(),
            keperluan=keperluan,
            tabel_diminta=tables,
            tanggal_data=semester_end_before(moment.date()),
            email_kontak="data@" + instansi.split()[0].lower() + ".palembang.go.id",
            dasar_hukum="Permendagri Nomor 102 Tahun 2019 tentang Pemberian Hak Akses Data Kependudukan",
        )

    def duration(self, step: Step) -> int:
        """Working minutes the official takes: mostly within the standard, sometimes well over it."""
        standard = step.standard
        if standard is None:
            return self.rng.randint(*UNTIMED_MINUTES)
        limit = standard.minutes(self.calendar.minutes_per_day())
        share = self.rng.uniform(1.3, 4) if self.rng.random() < LATE_SHARE else self.rng.uniform(0.2, 0.9)
        return max(1, round(limit * share))

    def act(self, case: Case, run: StepRun, step: Step, moment: datetime, may_return: bool) -> bool:
        """Do the open step at `moment`; True when it was returned for correction."""
        user = run.ditugaskan_ke or self.users[step.pelaksana]
        document = case.documents.order_by("-nomor").first()
        if may_return and step.kembali_ke and step.jenis != "disposisi" and self.rng.random() < RETURN_SHARE:
            reason = self.rng.choice(RETURN_REASONS)
            to = step.kembali_ke[0]
            self.at(moment, lambda: services.step_return(step_run=run, user=user, to_step=to, reason=reason))
            return True
        letter = sop_steps.case_letter(case)
        if letter is not None and step.jenis == "kerja" and case.versi.definition.next_step(step.no) is None:
            self.at(moment, lambda: naskah_services.naskah_send_link(naskah=letter, by=user))
        if case.versi.kode == "sop-2" and step.no == PREPARATION_STEP:
            self.at(moment, lambda: bahan_kualitas_data(case=case, step_run_id=run.pk, user=user))
        actions = {
            "kerja": lambda: services.step_complete(step_run=run, user=user, checklist=list(step.checklist)),
            "paraf": lambda: services.step_paraf(step_run=run, user=user, document_hash=document.sha256),
            "tanda_tangan": lambda: services.step_sign(
                step_run=run, user=user, document_hash=document.sha256, passphrase=DEMO_PASSPHRASE
            ),
            "disposisi": lambda: services.step_disposisi(
                step_run=run, user=user, instruksi="Mohon segera dilaksanakan.", kepada=self.users["staf"]
            ),
        }
        self.at(moment, actions[step.jenis])
        return False

    def walk(self, case: Case, *, until: datetime, stop_at_step: int | None = None) -> None:
        """Work the case step by step, never past `until` (nor beyond `stop_at_step`), returning at most once."""
        returned = False
        while True:
            run = case.step_runs.filter(selesai_pada__isnull=True).first()
            if run is None or run.langkah == stop_at_step:
                return
            step = case.versi.definition.step(run.langkah)
            moment = add_working_minutes(run.dimulai_pada, self.duration(step), self.calendar)
            if moment > until:
                return
            returned |= self.act(case, run, step, moment, may_return=not returned)


def semester_end_before(day: date) -> date:
    """The last semester end (30 June or 31 December) before `day`: the cut-off agencies ask for."""
    june = date(day.year, 6, 30)
    return june if day > june else date(day.year - 1, 12, 31)


def working_days(first: date, last: date, calendar: WorkingCalendar) -> list[date]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if calendar.span(d) is not None]


def demo_cases_ensure(*, seed: int = 2026) -> int:
    """Lay down the demo history once (nothing happens when cases already exist); returns the cases made."""
    if Case.objects.exists():
        return 0
    now = timezone.now()
    today = timezone.localdate()
    calendar = current_calendar()
    writer = DemoWriter(seed=seed, calendar=calendar)
    kadis = writer.users["kepala_dinas"]
    if not SigningPassphrase.objects.filter(user=kadis).exists():
        passphrase_set(user=kadis, baru=DEMO_PASSPHRASE, ulang=DEMO_PASSPHRASE)
    first = max(today - timedelta(weeks=WEEKS), date(today.year, 1, 1))
    days = working_days(first, today - timedelta(days=1), calendar)
    if not days:  # the first working day of the year: the officials took office only today
        days = [today]
    made = 0
    for n in range(PAST_CASES):
        day = days[(n * len(days)) // PAST_CASES]
        kode = ["sop-2", "sop-3", "sop-1"][n % 3]
        start = datetime.combine(day, time(8, 15), WIB) + timedelta(minutes=writer.rng.randint(0, 300))
        writer.walk(writer.start(kode, start), until=now)
        made += 1
    # Work still under way: a work plan waiting since the last working day (overdue by now), and a report
    # and a work plan just begun.
    yesterday = datetime.combine(days[-1], time(13, 30), WIB)
    writer.walk(writer.start("sop-3", yesterday, CURRENT["sop-3"]), until=now, stop_at_step=2)
    writer.start("sop-1", now, CURRENT["sop-1"])
    writer.start("sop-2", now, CURRENT["sop-2"])
    return made + 3
