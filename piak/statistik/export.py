"""Exports of indicator values and report tables: JSON, CSV and XLSX.

Spreadsheet cells are written by piak.web.xlsx (formula-like text neutralised, numbers as numbers)."""

import csv
import io
import json
from decimal import Decimal

from piak.web.xlsx import Cell, Sheet, neutralise, workbook_bytes
from piak.wilayah.models import Kecamatan, Kelurahan

from .definitions import default_definitions
from .models import IndicatorRun, IndicatorValue


def region_names() -> dict[str, str]:
    names = {"16.71": "Kota Palembang"}
    names |= dict(Kecamatan.objects.values_list("kode", "nama"))
    names |= dict(Kelurahan.objects.values_list("kode", "nama"))
    return names


VALUE_COLUMNS = [
    "indikator", "label", "tingkat", "kode_wilayah", "nama_wilayah", "rincian", "kategori",
    "nilai", "pembilang", "penyebut", "faktor", "satuan", "catatan",
]  # fmt: skip


def value_records(run: IndicatorRun) -> list[dict[str, Cell]]:
    definitions = {i.name: i for i in default_definitions().indicators}
    names = region_names()
    records = []
    for v in IndicatorValue.objects.filter(run=run).order_by(
        "indikator", "tingkat", "kode_wilayah", "rincian", "kategori"
    ):
        indicator = definitions.get(v.indikator)
        records.append(
            {
                "indikator": v.indikator,
                "label": indicator.label if indicator else v.indikator,
                "tingkat": v.tingkat,
                "kode_wilayah": v.kode_wilayah,
                "nama_wilayah": names.get(v.kode_wilayah, ""),
                "rincian": v.rincian,
                "kategori": v.kategori,
                "nilai": _trim(v.nilai, indicator.decimals if indicator else 6),
                "pembilang": _trim(v.pembilang, 6),
                "penyebut": _trim(v.penyebut, 6),
                "faktor": _trim(v.faktor, 12),
                "satuan": indicator.unit if indicator else "",
                "catatan": v.catatan,
            }
        )
    return records


def _trim(value: Decimal | None, decimals: int) -> Decimal | None:
    """Drop the storage scale's trailing zeros beyond the indicator's published decimals."""
    if value is None:
        return None
    if decimals < 6:
        return value.quantize(Decimal(1).scaleb(-decimals))
    return Decimal(format(value.normalize(), "f"))


def values_json(run: IndicatorRun) -> str:
    records = value_records(run)
    payload = {
        **({"peringatan": run.snapshot.stamp} if run.snapshot.stamp else {}),
        "snapshot": run.snapshot_id,
        "sintetis": run.snapshot.sintetis,
        "tanggal_potong": run.snapshot.tanggal_potong.isoformat(),
        "sha256_snapshot": run.snapshot.sha256,
        "definisi_sha256": run.definisi_sha256,
        "nilai": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in records],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def values_csv(run: IndicatorRun) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if run.snapshot.stamp:
        writer.writerow([run.snapshot.stamp])
    writer.writerow(VALUE_COLUMNS)
    for record in value_records(run):
        writer.writerow([neutralise(v) if isinstance(v, str) else ("" if v is None else v) for v in record.values()])
    return out.getvalue()


def values_xlsx(run: IndicatorRun) -> bytes:
    rows = [list(r.values()) for r in value_records(run)]
    sheet = Sheet("Indikator", f"Indikator snapshot #{run.snapshot_id}", VALUE_COLUMNS, rows, [])
    return workbook_bytes([sheet], stamp=run.snapshot.stamp)
