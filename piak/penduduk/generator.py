"""A synthetic Palembang SIAK export (`piak generate`), deterministic for a seed.

Families are drawn one at a time: a head of plausible age, usually a spouse a few years apart,
children born while the mother was 18–45, sometimes a widowed parent or a grandchild. NIKs follow
the birth date, sex and kecamatan of issue (a few were issued elsewhere); documents are as common as
in a city of Sumatra. `defects` replaces a share of rows with the mistakes real exports contain.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from piak.penduduk.impor.rows import OPTIONAL, REQUIRED
from piak.penduduk.nik import nik_date_part
from piak.wilayah.services import _read_csv

COLUMNS = REQUIRED + OPTIONAL
REFERENCE_DATE = date(2026, 6, 30)  # fixed, so a seed gives the same file on any day
XLSX_MAX_ROWS = 1_048_575

MALE = [
    "Muhammad",
    "Ahmad",
    "Abdul",
    "Rizky",
    "Agus",
    "Budi",
    "Dedi",
    "Hendra",
    "Joko",
    "Rudi",
    "Andi",
    "Fajar",
    "Hadi",
    "Irfan",
    "Iwan",
    "Yusuf",
    "Arif",
    "Bambang",
    "Darmawan",
    "Eko",
    "Ferdi",
    "Gunawan",
    "Hasan",
    "Ilham",
    "Kurniawan",
    "Lukman",
    "Maulana",
    "Nanda",
    "Rahmat",
    "Ridwan",
    "Sandi",
    "Taufik",
    "Wahyu",
    "Yoga",
    "Zainal",
    "Anton",
    "Bayu",
    "Dimas",
    "Rian",
    "Aldi",
    "Fauzan",
    "Reza",
    "Adi",
    "Dani",
    "Firman",
    "Heri",
    "Imam",
]
FEMALE = [
    "Siti",
    "Nur",
    "Dewi",
    "Sri",
    "Rina",
    "Ani",
    "Fitri",
    "Putri",
    "Ayu",
    "Indah",
    "Lestari",
    "Maya",
    "Novi",
    "Ratna",
    "Sari",
    "Wulan",
    "Yuni",
    "Dian",
    "Evi",
    "Fatimah",
    "Aisyah",
    "Intan",
    "Kartika",
    "Lina",
    "Mega",
    "Nurul",
    "Rahma",
    "Rini",
    "Santi",
    "Tuti",
    "Umi",
    "Winda",
    "Zahra",
    "Annisa",
    "Citra",
    "Dinda",
    "Eka",
    "Hana",
    "Ira",
    "Julia",
    "Kiki",
    "Laila",
    "Melati",
    "Nabila",
    "Oktavia",
    "Puspita",
    "Rosa",
    "Salsabila",
    "Tiara",
]
SURNAMES = [
    "Saputra",
    "Pratama",
    "Wijaya",
    "Hidayat",
    "Kusuma",
    "Santoso",
    "Setiawan",
    "Nugroho",
    "Putra",
    "Syahputra",
    "Ramadhan",
    "Firmansyah",
    "Hakim",
    "Rahman",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Tanjung",
    "Hasibuan",
    "Sembiring",
    "Gultom",
    "Sari",
    "Wati",
    "Ningsih",
    "Lestari",
    "Utami",
    "Handayani",
    "Anggraini",
    "Permata",
    "Amelia",
    "Safitri",
    "Oktaviani",
    "Marlina",
    "Halim",
    "Gunawan",
    "Tan",
    "Lim",
    "Wijaya",
    "Susanto",
    "Salim",
    "Chandra",
    "Kurnia",
    "Mulyadi",
    "Effendi",
    "Arifin",
    "Yusuf",
    "Ibrahim",
]
STREETS = [
    "Jl. Sudirman",
    "Jl. Kapten Rivai",
    "Jl. Demang Lebar Daun",
    "Jl. Veteran",
    "Jl. Merdeka",
    "Jl. Angkatan 45",
    "Jl. Basuki Rahmat",
    "Jl. Kolonel Atmo",
    "Jl. Mayor Ruslan",
    "Jl. Letnan Simanjuntak",
    "Jl. Rajawali",
    "Jl. Sekip",
    "Jl. Residen Abdul Rozak",
    "Jl. Mesjid Lama",
    "Jl. KH. Ahmad Dahlan",
    "Lr. Sukarela",
    "Lr. Pancasila",
    "Lr. Harapan",
    "Lr. Karya",
    "Lr. Kenanga",
    "Komp. Bukit Sejahtera",
    "Perumnas Sako",
    "Jl. Tembus Terminal",
    "Jl. Seduduk Putih",
]
BIRTH_PLACES = ["PALEMBANG"] * 14 + [
    "PRABUMULIH",
    "LAHAT",
    "BATURAJA",
    "KAYU AGUNG",
    "MUARA ENIM",
    "LUBUK LINGGAU",
    "JAKARTA",
    "BENGKULU",
    "JAMBI",
    "LAMPUNG",
]
# Regency codes (PP KK CC) of NIKs first issued outside the city.
ELSEWHERE = [
    "160101",
    "160201",
    "160301",
    "160401",
    "167201",
    "167401",
    "317101",
    "180101",
    "150101",
    "170101",
]
RELIGIONS = [(1, 930), (2, 30), (3, 12), (4, 2), (5, 23), (6, 3)]
BLOOD = [(1, 20), (2, 20), (3, 6), (4, 30), (13, 24)]
DEFECT_KINDS = [
    "nik_scientific",
    "nik_sex_mismatch",
    "missing_name",
    "unknown_religion",
    "future_birth",
    "duplicate_nik",
    "bad_region",
]


def _weighted(rng: random.Random, pairs: list[tuple[int, int]]) -> int:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Person:
    nik: str
    nama: str
    sex: int
    born: date
    shdk: int
    kawin: int
    mother: "Person | None" = None
    father: "Person | None" = None


class CityGenerator:
    def __init__(self, *, seed: int, on: date = REFERENCE_DATE) -> None:
        self.rng = random.Random(seed)
        self.on = on
        rows = _read_csv("palembang-wilayah.csv")
        self.kelurahan = [r["kode_kelurahan"] for r in rows]
        self.kelurahan_weights = [self.rng.uniform(0.4, 2.0) for _ in rows]
        self.serials: dict[str, int] = {}

    # -- numbers --------------------------------------------------------------------------------
    def _serial(self, prefix: str) -> str:
        serial = self.serials.get(prefix, 0) + 1
        self.serials[prefix] = serial
        return f"{prefix}{serial:04d}"

    def nik(self, kecamatan: str, born: date, sex: int) -> str:
        region = self.rng.choice(ELSEWHERE) if self.rng.random() < 0.04 else kecamatan
        return self._serial(region + nik_date_part(born, sex == 2))

    def no_kk(self, kecamatan: str) -> str:
        issued = self.on - timedelta(days=self.rng.randint(0, 365 * 15))
        return self._serial(kecamatan + f"{issued:%d%m%y}")

    # -- people ---------------------------------------------------------------------------------
    def _born(self, age_min: int, age_max: int) -> date:
        days = self.rng.randint(age_min * 365 + 1, age_max * 365 + 364)
        return self.on - timedelta(days=days)

    def _name(self, sex: int, family_name: str | None = None) -> str:
        first = self.rng.choice(MALE if sex == 1 else FEMALE)
        if self.rng.random() < 0.35:
            return first
        return f"{first} {family_name or self.rng.choice(SURNAMES)}"

    def _person(self, kecamatan: str, sex: int, born: date, shdk: int, kawin: int) -> Person:
        return Person(self.nik(kecamatan, born, sex), self._name(sex), sex, born, shdk, kawin)

    def family(self, kecamatan: str) -> list[Person]:
        rng = self.rng
        kind = rng.random()
        head_sex = 1 if kind < 0.86 or (kind > 0.95 and rng.random() < 0.4) else 2
        head_age = min(int(rng.gauss(44, 12)), 85)
        head_age = max(head_age, 20)
        head = self._person(kecamatan, head_sex, self._born(head_age, head_age), 1, 2)
        members = [head]
        if kind > 0.95:  # living alone, never married or widowed
            head.kawin = 1 if head_age < 35 else 4
            return members
        mother, father = (None, head) if head_sex == 1 else (head, None)
        if head_sex == 1 and kind < 0.86:
            wife_age = max(18, min(head_age + rng.randint(-8, 2), 80))
            mother = self._person(kecamatan, 2, self._born(wife_age, wife_age), 3, 2)
            members.append(mother)
        else:
            head.kawin = rng.choice([3, 4])
        mother_age = (self.on - (mother or head).born).days // 365
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5], [8, 20, 32, 24, 11, 5])[0]):
            latest = mother_age - 18
            if latest < 0:
                break
            age = rng.randint(max(0, mother_age - 45), latest)
            sex = rng.choice([1, 2])
            child = self._person(kecamatan, sex, self._born(age, age), 4, 1 if age < 25 else rng.choice([1, 2]))
            child.mother, child.father = mother, father
            members.append(child)
        if rng.random() < 0.08 and head_age < 60:
            grandparent_age = head_age + rng.randint(22, 32)
            members.append(
                self._person(kecamatan, rng.choice([1, 2]), self._born(grandparent_age, grandparent_age), 7, 4)
            )
        return members

    # -- rows -----------------------------------------------------------------------------------
    def _documents(self, person: Person) -> tuple[str, str, str, str]:
        rng = self.rng
        age = (self.on - person.born).days // 365
        has_akta = rng.random() < (0.93 if age < 18 else 0.62)
        akta_no = f"1671-LT-{person.born:%d%m%Y}-{rng.randint(1, 9999):04d}" if has_akta else ""
        if age < 17:
            ktp, kia = "BELUM WAJIB", "Y" if rng.random() < 0.55 else "N"
        else:
            ktp = rng.choices(["SUDAH REKAM", "CARD ISSUED", "BELUM REKAM", "PRINT READY RECORD"], [30, 62, 5, 3])[0]
            kia = "N"
        return ("Y" if has_akta else "N", akta_no, ktp, kia)

    def _work(self, person: Person) -> tuple[str, str]:
        age = (self.on - person.born).days // 365
        rng = self.rng
        if age < 5:
            return "TIDAK / BELUM SEKOLAH", "BELUM/TIDAK BEKERJA"
        if age < 19:
            return rng.choice(
                ["BELUM TAMAT SD/SEDERAJAT", "TAMAT SD / SEDERAJAT", "SLTP/SEDERAJAT"]
            ), "PELAJAR/MAHASISWA"
        education = rng.choices(
            [
                "TAMAT SD / SEDERAJAT",
                "SLTP/SEDERAJAT",
                "SLTA / SEDERAJAT",
                "DIPLOMA IV/ STRATA I",
                "STRATA II",
            ],
            [15, 18, 45, 19, 3],
        )[0]
        if age >= 60:
            return education, rng.choice(["PENSIUNAN", "MENGURUS RUMAH TANGGA", "WIRASWASTA"])
        if person.sex == 2 and rng.random() < 0.45:
            return education, "MENGURUS RUMAH TANGGA"
        return education, rng.choice(
            [
                "KARYAWAN SWASTA",
                "WIRASWASTA",
                "PEDAGANG",
                "PEGAWAI NEGERI SIPIL (PNS)",
                "BURUH HARIAN LEPAS",
                "SOPIR",
                "GURU",
                "PERDAGANGAN",
                "KARYAWAN BUMN",
                "PELAJAR/MAHASISWA",
            ]
        )

    def rows(self, people: int) -> Iterator[list[str]]:
        made = 0
        while made < people:
            kelurahan = self.rng.choices(self.kelurahan, self.kelurahan_weights)[0]
            _, _, kec, kel = kelurahan.split(".")
            kecamatan = "1671" + kec
            family = self.family(kecamatan)[: people - made]
            no_kk = self.no_kk(kecamatan)
            street = self.rng.choice(STREETS)
            address = f"{street} No. {self.rng.randint(1, 250)}"
            rw, rt = str(self.rng.randint(1, 12)), str(self.rng.randint(1, 45))
            religion = _weighted(self.rng, RELIGIONS)
            for person in family:
                yield self._row(person, no_kk, kec, kel, rw, rt, address, religion)
            made += len(family)

    def _row(
        self, p: Person, no_kk: str, kec: str, kel: str, rw: str, rt: str, address: str, religion: int
    ) -> list[str]:
        akta, akta_no, ktp, kia = self._documents(p)
        education, work = self._work(p)
        married = p.kawin == 2
        return [
            p.nik,
            no_kk,
            p.nama.upper(),
            "LAKI-LAKI" if p.sex == 1 else "PEREMPUAN",
            self.rng.choice(BIRTH_PLACES),
            f"{p.born:%d-%m-%Y}",
            str(religion),
            ["", "BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"][p.kawin],
            ["", "KEPALA KELUARGA", "SUAMI", "ISTRI", "ANAK", "", "", "ORANGTUA"][p.shdk],
            "16",
            "71",
            str(int(kec)),
            kel,
            rw,
            rt,
            address.upper(),
            # optional columns
            str(_weighted(self.rng, BLOOD)),
            education,
            work,
            "",
            p.mother.nik if p.mother else "",
            p.mother.nama.upper() if p.mother else self._name(2).upper(),
            p.father.nik if p.father else "",
            p.father.nama.upper() if p.father else self._name(1).upper(),
            akta,
            akta_no,
            "Y" if married and self.rng.random() < 0.7 else "N",
            "",
            "",
            "N",
            "",
            "",
            "HIDUP",
            ktp,
            kia,
            "30" + str(self.rng.randint(111, 189)),
        ]


def inject_defects(rows: Iterator[list[str]], share: float, seed: int) -> Iterator[list[str]]:
    """Replace about `share` of the rows with one realistic mistake each."""
    rng = random.Random(seed * 7919 + 1)
    previous_nik = None
    for row in rows:
        if share and rng.random() < share:
            row = _defect(row, rng.choice(DEFECT_KINDS), previous_nik)
        previous_nik = row[0]
        yield row


def _defect(row: list[str], kind: str, previous_nik: str | None) -> list[str]:
    row = list(row)
    if kind == "nik_scientific":
        row[0] = f"{int(row[0]):.5E}"
    elif kind == "nik_sex_mismatch":
        row[3] = "PEREMPUAN" if row[3] == "LAKI-LAKI" else "LAKI-LAKI"
    elif kind == "missing_name":
        row[2] = ""
    elif kind == "unknown_religion":
        row[6] = "99"
    elif kind == "future_birth":
        row[5] = "01-01-2099"
    elif kind == "duplicate_nik" and previous_nik:
        row[0] = previous_nik
    elif kind == "bad_region":
        row[12] = "9999"
    return row


def city_write(path: Path, *, people: int, seed: int, defects: float = 0.0) -> int:
    """Write the synthetic export to `path` (CSV or XLSX by extension); returns the rows written."""
    rows = inject_defects(CityGenerator(seed=seed).rows(people), defects, seed)
    if path.suffix.lower() == ".xlsx":
        if people > XLSX_MAX_ROWS:
            raise ValueError(f"XLSX memuat paling banyak {XLSX_MAX_ROWS} baris data; gunakan CSV.")
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("BIODATA_WNI")
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return people
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return people
