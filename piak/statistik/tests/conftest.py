"""A hand-made population small enough to count on paper (the expected values in the tests are
worked out by hand from the rows below, not by running the engine)."""

from datetime import date

import pyarrow as pa
import pytest

from piak.statistik.schema import PENDUDUK, PERISTIWA

A, B, C = "16.71.01.1001", "16.71.01.1002", "16.71.06.1005"  # C is in Ilir Timur II: area unknown
COLUMNS = [
    "kode_kelurahan", "keluarga_id", "jenis_kelamin", "umur", "warga_negara", "agama", "status_kawin",
    "shdk", "status_ktp_el", "akta_lahir", "kia",
]  # fmt: skip

# no  kel fam sex  age   wn    agama kawin shdk ktp   akta   kia
CURRENT = [
    (A, 1, 1, 40, 1, 1, 2, 1, 8, False, False),  # 1
    (A, 1, 2, 38, 1, 1, 2, 3, 3, True, False),  # 2
    (A, 1, 1, 10, 1, 1, 1, 4, 1, True, True),  # 3
    (A, 1, 2, 4, 1, 1, 1, 4, 1, True, False),  # 4
    (A, 2, 1, 70, 1, 2, 4, 1, 2, False, False),  # 5
    (A, 2, 2, 16, 1, 2, 2, 4, 3, True, False),  # 6  married at 16: wajib KTP, not KIA
    (A, 3, 1, None, 2, None, None, 1, None, None, None),  # 7  WNA, birth date unknown
    (A, 3, 2, 17, 3, 99, 1, 4, 2, True, False),  # 8  dual citizen (WNI), unknown agama code 99
    (B, 4, 1, 25, 1, 1, 1, 1, 4, True, False),  # 9  moved in this semester
    (B, 5, 2, 65, 1, 1, 3, 1, 6, False, False),  # 10 moved in this semester
    (B, 5, 2, 14, 1, 1, 1, 4, 1, False, True),  # 11
    (B, 6, None, 30, 1, 1, 2, 1, 8, True, False),  # 12 sex unknown
    (C, 7, 1, 0, 1, 1, 1, 4, 1, True, False),  # 13 born this semester
    (C, 7, 2, 18, 1, 1, 1, 1, 3, False, False),  # 14
    (C, 7, 1, 64, 1, 1, 2, 2, 8, False, False),  # 15
]
DIED = (A, 2, 2, 80, 1, 2, 4, 7, 8, False, False)  # died 10 Feb 2026
MOVED_OUT = (C, 8, 1, 30, 1, 1, 1, 1, 8, True, False)  # moved out 1 May 2026


def residents(rows) -> pa.Table:
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    for record in records:
        record["kode_kecamatan"] = record["kode_kelurahan"][:8]
        for column in ("pendidikan", "pekerjaan", "golongan_darah", "disabilitas"):
            record[column] = None
    return pa.Table.from_pylist(records, schema=PENDUDUK.remove(PENDUDUK.get_field_index("wilayah_no")))


def events_table(rows) -> pa.Table:
    names = ["kode_kelurahan", "jenis", "jenis_kelamin", "tanggal_peristiwa", "tanggal_lapor"]
    records = [dict(zip(names, row, strict=True)) for row in rows]
    for record in records:
        record["kode_kecamatan"] = record["kode_kelurahan"][:8]
    return pa.Table.from_pylist(records, schema=PERISTIWA.remove(PERISTIWA.get_field_index("wilayah_no")))


EVENTS = [
    (C, "lahir", 1, date(2026, 3, 1), date(2026, 3, 5)),
    (C, "lahir", 2, date(2025, 12, 20), date(2026, 1, 5)),  # happened last semester: not counted
    (A, "mati", 2, date(2026, 2, 10), date(2026, 2, 11)),
    (B, "pindah_masuk", 1, date(2026, 4, 2), date(2026, 4, 2)),
    (B, "pindah_masuk", 2, date(2026, 5, 3), date(2026, 7, 2)),  # reported after the cut-off: counted
    (C, "pindah_keluar", 1, date(2026, 5, 1), date(2026, 5, 1)),
]


@pytest.fixture
def snapshot_dir(settings, tmp_path):
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    return settings.PIAK_SNAPSHOT_DIR


@pytest.fixture
def hand_snapshots(db, snapshot_dir):
    """Snapshots at 30 Jun 2025 (12 residents), 31 Dec 2025 (14) and 30 Jun 2026 (15, with events)."""
    from piak.statistik.services import snapshot_create

    previous_rows = [row for i, row in enumerate(CURRENT, start=1) if i not in (9, 10, 13)]
    year_ago = snapshot_create(cutoff=date(2025, 6, 30), penduduk=residents(previous_rows[:12]))
    semester = snapshot_create(cutoff=date(2025, 12, 31), penduduk=residents([*previous_rows, DIED, MOVED_OUT]))
    current = snapshot_create(cutoff=date(2026, 6, 30), penduduk=residents(CURRENT), peristiwa=events_table(EVENTS))
    return {"year_ago": year_ago, "semester": semester, "current": current}
