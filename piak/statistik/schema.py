"""The snapshot's Parquet schema: what a frozen population looks like on disk.

A snapshot is two Parquet files written once and never changed:

`penduduk` — one row per resident alive and present in Kota Palembang at the cut-off date. It holds no
name, NIK or No. KK: only what the indicators need, so the file is aggregate-safe to keep and to hash.

| column          | type   | null | meaning                                                                 |
|-----------------|--------|------|-------------------------------------------------------------------------|
| kode_kecamatan  | string | no   | Kemendagri code, `16.71.01`                                             |
| kode_kelurahan  | string | no   | Kemendagri code, `16.71.01.1001`                                        |
| wilayah_no      | int16  | no   | kecamatan number × 1000 + kelurahan serial (`16.71.01.1001` → 1001);    |
|                 |        |      | derived from the code when the file is written; the engine groups by it |
| keluarga_id     | int64  | no   | pseudonymous family key (one per Kartu Keluarga), for counting KK; all  |
|                 |        |      | members of a KK live in its kelurahan, so KK counts add up across areas |
| jenis_kelamin   | int8   | yes  | `jenis_kelamin` code: 1 laki-laki, 2 perempuan                          |
| umur            | int16  | yes  | completed years at the cut-off; null when the birth date is unknown     |
| warga_negara    | int8   | yes  | `warga_negara` code: 1 WNI, 2 WNA, 3 dual (reported as WNI)             |
| agama           | int8   | yes  | `agama` code                                                            |
| pendidikan      | int8   | yes  | `pendidikan_kk` code (highest education, as on the KK)                  |
| pekerjaan       | int16  | yes  | `pekerjaan` code                                                        |
| status_kawin    | int8   | yes  | `status_kawin` code: 1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati |
| shdk            | int8   | yes  | `shdk` code: 1 kepala keluarga, ...                                     |
| golongan_darah  | int8   | yes  | `golongan_darah` code                                                   |
| disabilitas     | int8   | yes  | `cacat` code (7 = tidak cacat)                                          |
| status_ktp_el   | int8   | yes  | `status_ktp_el.status_rekam` code: 3 sudah rekam, 4/6/8 card printed... |
| akta_lahir      | bool   | yes  | has a birth certificate                                                 |
| kia             | bool   | yes  | has a Kartu Identitas Anak                                              |

`peristiwa` — one row per vital or move event whose **event date** lies in the snapshot's period
(`periode_mulai` … cut-off). The report date is kept for audit only; indicators never use it.

| column            | type   | null | meaning                                                  |
|-------------------|--------|------|----------------------------------------------------------|
| kode_kecamatan    | string | no   |                                                          |
| kode_kelurahan    | string | no   |                                                          |
| jenis             | string | no   | `lahir`, `mati`, `pindah_masuk`, `pindah_keluar`         |
| jenis_kelamin     | int8   | yes  |                                                          |
| tanggal_peristiwa | date32 | no   | when it happened (counts)                                |
| tanggal_lapor     | date32 | yes  | when it was reported (audit only)                        |

Codes are those of `piak/penduduk/data/reference-codes.yaml`.
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from piak.core.errors import ValidationFailed

SCHEMA_VERSION = 1

PENDUDUK = pa.schema(
    [
        pa.field("kode_kecamatan", pa.string(), nullable=False),
        pa.field("kode_kelurahan", pa.string(), nullable=False),
        pa.field("wilayah_no", pa.int16(), nullable=False),
        pa.field("keluarga_id", pa.int64(), nullable=False),
        pa.field("jenis_kelamin", pa.int8()),
        pa.field("umur", pa.int16()),
        pa.field("warga_negara", pa.int8()),
        pa.field("agama", pa.int8()),
        pa.field("pendidikan", pa.int8()),
        pa.field("pekerjaan", pa.int16()),
        pa.field("status_kawin", pa.int8()),
        pa.field("shdk", pa.int8()),
        pa.field("golongan_darah", pa.int8()),
        pa.field("disabilitas", pa.int8()),
        pa.field("status_ktp_el", pa.int8()),
        pa.field("akta_lahir", pa.bool_()),
        pa.field("kia", pa.bool_()),
    ]
)

PERISTIWA = pa.schema(
    [
        pa.field("kode_kecamatan", pa.string(), nullable=False),
        pa.field("kode_kelurahan", pa.string(), nullable=False),
        pa.field("wilayah_no", pa.int16(), nullable=False),
        pa.field("jenis", pa.string(), nullable=False),
        pa.field("jenis_kelamin", pa.int8()),
        pa.field("tanggal_peristiwa", pa.date32(), nullable=False),
        pa.field("tanggal_lapor", pa.date32()),
    ]
)

EVENT_KINDS = ("lahir", "mati", "pindah_masuk", "pindah_keluar")


def wilayah_no(kode_kelurahan: str) -> int:
    """`16.71.01.1001` → 1001: a small integer key that DuckDB groups by far faster than the text code."""
    return int(kode_kelurahan[6:8]) * 1000 + int(kode_kelurahan[10:13])


def kode_kelurahan(number: int) -> str:
    return f"16.71.{number // 1000:02d}.1{number % 1000:03d}"


def kode_kecamatan(number: int) -> str:
    return f"16.71.{number // 1000:02d}"


def _with_wilayah_no(table: pa.Table) -> pa.Table:
    if "wilayah_no" in table.column_names or "kode_kelurahan" not in table.column_names:
        return table
    encoded = table.column("kode_kelurahan").combine_chunks().dictionary_encode()
    try:
        numbers = pa.array([wilayah_no(code) for code in encoded.dictionary.to_pylist()], pa.int16())
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(
            "Kode kelurahan harus berbentuk 16.71.KK.1SSS.", code="snapshot_bad_region_code"
        ) from exc
    return table.append_column("wilayah_no", pc.take(numbers, encoded.indices))


def conform(table: pa.Table, schema: pa.Schema, what: str) -> pa.Table:
    """Cast `table` to `schema` (column order and types); a missing column or a null in a required one
    is a clear error, never a silently different file."""
    table = _with_wilayah_no(table)
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise ValidationFailed(
            f"Data {what} tidak memuat kolom wajib: {', '.join(missing)}.", code="snapshot_missing_column"
        )
    table = table.select(schema.names)
    for field in schema:
        if not field.nullable and table.column(field.name).null_count:
            raise ValidationFailed(
                f"Kolom {field.name} pada data {what} tidak boleh kosong.", code="snapshot_null_required"
            )
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ValidationFailed(f"Tipe kolom data {what} tidak sesuai skema: {exc}", code="snapshot_bad_type") from exc


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write deterministically (fixed compression, no timestamps) so the same rows give the same hash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=256_000, write_statistics=True)
