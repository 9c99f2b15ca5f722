"""Small import files for tests: a valid family, and ways to write it as CSV or XLSX."""

import csv
from pathlib import Path

from piak.penduduk.impor.rows import OPTIONAL, REQUIRED

COLUMNS = REQUIRED + OPTIONAL
KK = "1671012003150001"


def person(**overrides: str) -> dict[str, str]:
    """A valid head of family in 35 Ilir (16.71.01.1001); override any column."""
    row = {
        "NIK": "1671011505800001",
        "NO_KK": KK,
        "NAMA_LGKP": "AHMAD FAUZI",
        "JENIS_KLMIN": "LAKI-LAKI",
        "TMPT_LHR": "PALEMBANG",
        "TGL_LHR": "15-05-1980",
        "AGAMA": "ISLAM",
        "STAT_KWN": "KAWIN",
        "STAT_HBKEL": "KEPALA KELUARGA",
        "NO_PROP": "16",
        "NO_KAB": "71",
        "NO_KEC": "1",
        "NO_KEL": "1001",
        "NO_RW": "2",
        "NO_RT": "5",
        "ALAMAT": "JL. MERDEKA NO. 10",
        "STAT_HIDUP": "HIDUP",
        "STAT_KTP": "CARD ISSUED",
        "AKTA_LHR": "Y",
        "KIA": "N",
    }
    row.update(overrides)
    return row


def wife(**overrides: str) -> dict[str, str]:
    return person(
        **{
            "NIK": "1671016208840002",
            "NAMA_LGKP": "SITI AMINAH",
            "JENIS_KLMIN": "PEREMPUAN",
            "TGL_LHR": "22-08-1984",
            "STAT_HBKEL": "ISTRI",
            **overrides,
        }
    )


def child(**overrides: str) -> dict[str, str]:
    return person(
        **{
            "NIK": "1671010303100003",
            "NAMA_LGKP": "RIZKY FAUZI",
            "TGL_LHR": "03-03-2010",
            "STAT_KWN": "BELUM KAWIN",
            "STAT_HBKEL": "ANAK",
            "STAT_KTP": "BELUM WAJIB",
            "NIK_IBU": "1671016208840002",
            "NAMA_LGKP_IBU": "SITI AMINAH",
            "NIK_AYAH": "1671011505800001",
            "NAMA_LGKP_AYAH": "AHMAD FAUZI",
            **overrides,
        }
    )


def family() -> list[dict[str, str]]:
    return [person(), wife(), child()]


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    columns = list(dict.fromkeys([*COLUMNS, *(k for r in rows for k in r)]))
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    columns = list(dict.fromkeys([*COLUMNS, *(k for r in rows for k in r)]))
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, None) for c in columns])
    workbook.save(path)
    return path


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def task_backends_reset() -> None:
    """Django caches task backends like database connections; forget them when TASKS changes."""
    from asgiref.local import Local
    from django.tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


PASSWORD = "rahasia-uji-123"  # make_official's password (root conftest)
