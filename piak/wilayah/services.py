"""Loading Kota Palembang's regions from the reference files shipped with the package."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import Kecamatan, Kelurahan, Kota

DATA_DIR = Path(__file__).parent / "data"
PALEMBANG = {"kode": "16.71", "nama": "Kota Palembang", "provinsi": "Sumatera Selatan"}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def wilayah_load() -> dict[str, int]:
    """Create or update the city, its kecamatan (with areas) and kelurahan; idempotent."""
    kota, _ = Kota.objects.update_or_create(kode=PALEMBANG["kode"], defaults=PALEMBANG)
    areas = {row["kode_kecamatan"]: row for row in _read_csv("palembang-kecamatan-luas.csv")}
    rows = _read_csv("palembang-wilayah.csv")
    for kode in dict.fromkeys(row["kode_kecamatan"] for row in rows):
        first = next(row for row in rows if row["kode_kecamatan"] == kode)
        area = areas[kode]
        Kecamatan.objects.update_or_create(
            kode=kode,
            defaults={
                "kota": kota,
                "kode_bps": first["kode_bps_kecamatan"],
                "nama": first["nama_kecamatan"],
                # The area file spells two names differently (Ilir Timur III, Alang-Alang Lebar); keep both.
                "nama_lain": area["nama_kecamatan"] if area["nama_kecamatan"] != first["nama_kecamatan"] else "",
                "luas_km2": Decimal(area["luas_km2"]) if area["luas_km2"] else None,
                "luas_basis": area["basis"],
                "luas_kepastian": area["certainty"],
                "luas_catatan": area["note"],
            },
        )
    for row in rows:
        Kelurahan.objects.update_or_create(
            kode=row["kode_kelurahan"],
            defaults={
                "kecamatan_id": row["kode_kecamatan"],
                "nama": row["nama_kelurahan"],
                "nama_kepmendagri": row["nama_kelurahan_kepmendagri_2025"],
            },
        )
    return {"kecamatan": Kecamatan.objects.count(), "kelurahan": Kelurahan.objects.count()}


def wilayah_load_on_migrate(**kwargs) -> None:
    """Keep the reference regions present after every migrate (including a test database's)."""
    if Kelurahan.objects.using(kwargs.get("using", "default")).count() != len(_read_csv("palembang-wilayah.csv")):
        wilayah_load()
