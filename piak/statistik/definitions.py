"""Loading and checking the indicator definitions (definitions/indikator.yaml)."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from piak.core.errors import ValidationFailed

DEFINITIONS_FILE = Path(__file__).parent / "definitions" / "indikator.yaml"
REFERENCE_CODES_FILE = Path(__file__).resolve().parent.parent / "penduduk" / "data" / "reference-codes.yaml"
UNKNOWN = "tidak_diketahui"
UNKNOWN_LABEL = "Tidak diketahui / belum mengisi"
KINDS = {
    "rasio",
    "median_kelompok",
    "median_tunggal",
    "laju_geometrik",
    "laju_eksponensial",
    "perubahan",
    "selisih_neraca",
}


@dataclass(frozen=True)
class AgeGroup:
    lower: int
    upper: int | None  # None: open group

    @property
    def label(self) -> str:
        return f"{self.lower}+" if self.upper is None else f"{self.lower}–{self.upper}"

    @property
    def width(self) -> int | None:
        return None if self.upper is None else self.upper - self.lower + 1


@dataclass(frozen=True)
class Breakdown:
    """Categories of one snapshot column. The engine groups by the raw column (fast, statistics-aware)
    and maps raw values to categories here: a listed code, a merged code, an age group, or unknown."""

    name: str
    label: str
    column: str
    codes: dict[int, str]  # category code -> label, in display order
    merge: dict[int, int] = field(default_factory=dict)  # raw code -> category code
    age_groups: tuple[AgeGroup, ...] = ()

    def category(self, raw: int | None) -> int | None:
        """The category of a raw value; None is the "tidak diketahui / belum mengisi" row."""
        if raw is None:
            return None
        if self.age_groups:
            return next((g.lower for g in reversed(self.age_groups) if raw >= g.lower), None)
        raw = self.merge.get(raw, raw)
        return raw if raw in self.codes else None


@dataclass(frozen=True)
class Operand:
    """One side of a ratio: a count of residents, KK, events, an area, or a previous snapshot's count."""

    filters: tuple[str, ...] = ()
    scope_city: bool = False
    families: bool = False
    area: bool = False
    event: str = ""
    mid_period: bool = False
    previous: str = ""  # "semester" | "tahun"


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    kind: str
    numerator: Operand | None
    denominator: Operand | None
    factor: Decimal
    unit: str
    decimals: int
    breakdowns: tuple[tuple[str, ...], ...]
    annualised: bool = False
    flag_above: Decimal | None = None


@dataclass(frozen=True)
class Definitions:
    version: int
    sha256: str
    age_groups: tuple[AgeGroup, ...]
    city_area_km2: Decimal
    city_area_basis: str
    filters: dict[str, str]
    breakdowns: dict[str, Breakdown]
    indicators: tuple[Indicator, ...] = field(default=())

    def indicator(self, name: str) -> Indicator:
        return next(i for i in self.indicators if i.name == name)


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(f"Definisi indikator tidak sah: {message}", code="indicator_definition_invalid")


def check_age_groups(groups: list[list[int | None]]) -> tuple[AgeGroup, ...]:
    """Groups must start at 0, follow each other without gap or overlap, and end with one open group."""
    parsed = tuple(AgeGroup(int(lo), None if hi is None else int(hi)) for lo, hi in groups)
    expected_lower = 0
    for index, group in enumerate(parsed):
        if group.lower != expected_lower:
            raise _invalid(f"kelompok umur {group.label} tidak menyambung (harus mulai dari {expected_lower})")
        if group.upper is None:
            if index != len(parsed) - 1:
                raise _invalid("hanya kelompok umur terakhir yang boleh terbuka")
            return parsed
        if group.upper < group.lower:
            raise _invalid(f"kelompok umur {group.label} terbalik")
        expected_lower = group.upper + 1
    raise _invalid("kelompok umur terakhir harus terbuka (mis. 75+) agar semua umur tercakup")


@cache
def reference_codes() -> dict[str, Any]:
    return yaml.safe_load(REFERENCE_CODES_FILE.read_text(encoding="utf-8"))


def _breakdown(name: str, spec: dict[str, Any], age_groups: tuple[AgeGroup, ...]) -> Breakdown:
    if spec.get("kelompok_umur"):
        codes = {g.lower: g.label for g in age_groups}
        return Breakdown(name, spec["label"], "umur", codes, age_groups=age_groups)
    raw = spec["kode"]
    if isinstance(raw, str):
        table = reference_codes().get(raw)
        if not table or "codes" not in table:
            raise _invalid(f"tabel kode '{raw}' tidak ada di reference-codes.yaml")
        raw = table["codes"]
    codes = {int(k): str(v) for k, v in raw.items()}
    merge = {int(k): int(v) for k, v in spec.get("gabung", {}).items()}
    # A code outside the list is as unknown as a missing one: both land in the "tidak diketahui" row.
    return Breakdown(name, spec["label"], spec["kolom"], codes, merge)


def _operand(raw: Any, filters: dict[str, str], where: str) -> Operand | None:
    if raw is None:
        return None
    if isinstance(raw, str | list):
        names = (raw,) if isinstance(raw, str) else tuple(raw)
        return Operand(filters=_known_filters(names, filters, where))
    if not isinstance(raw, dict):
        raise _invalid(f"{where}: bentuk tidak dikenal")
    if "peristiwa" in raw:
        from .schema import EVENT_KINDS

        if raw["peristiwa"] not in EVENT_KINDS:
            raise _invalid(f"{where}: peristiwa '{raw['peristiwa']}' tidak dikenal")
        return Operand(event=raw["peristiwa"])
    if raw.get("keluarga"):
        return Operand(families=True)
    if raw.get("luas"):
        return Operand(area=True)
    if "pertengahan_periode" in raw:
        return Operand(filters=_known_filters((raw["pertengahan_periode"],), filters, where), mid_period=True)
    names = raw.get("filter", "semua")
    names = (names,) if isinstance(names, str) else tuple(names)
    previous = raw.get("sebelumnya", "")
    if previous not in ("", "semester", "tahun"):
        raise _invalid(f"{where}: 'sebelumnya' harus semester atau tahun")
    return Operand(
        filters=_known_filters(names, filters, where),
        scope_city=raw.get("cakupan") == "kota",
        previous=previous,
    )


def _known_filters(names: tuple[str, ...], filters: dict[str, str], where: str) -> tuple[str, ...]:
    for name in names:
        if name not in filters:
            raise _invalid(f"{where}: filter '{name}' tidak didefinisikan")
    return names


def _indicator(raw: dict[str, Any], filters: dict[str, str], breakdowns: dict[str, Breakdown]) -> Indicator:
    name = raw["nama"]
    kind = raw.get("jenis", "rasio")
    if kind not in KINDS:
        raise _invalid(f"{name}: jenis '{kind}' tidak dikenal")
    shapes = tuple((b,) if isinstance(b, str) else tuple(b) for b in raw.get("rincian", []))
    for shape in shapes:
        for part in shape:
            if part not in breakdowns:
                raise _invalid(f"{name}: rincian '{part}' tidak didefinisikan")
    flag = raw.get("tandai_di_atas")
    return Indicator(
        name=name,
        label=raw["label"],
        kind=kind,
        numerator=_operand(raw.get("pembilang"), filters, f"{name}.pembilang"),
        denominator=_operand(raw.get("penyebut"), filters, f"{name}.penyebut"),
        factor=Decimal(str(raw.get("faktor", 1))),
        unit=raw.get("satuan", ""),
        decimals=int(raw.get("desimal", 2)),
        breakdowns=shapes,
        annualised=bool(raw.get("disetahunkan", False)),
        flag_above=Decimal(str(flag)) if flag is not None else None,
    )


def definitions_parse(text: str) -> Definitions:
    raw = yaml.safe_load(text)
    age_groups = check_age_groups(raw["kelompok_umur"])
    filters = {name: str(sql) for name, sql in raw["filter"].items()}
    breakdowns = {name: _breakdown(name, spec, age_groups) for name, spec in raw["rincian"].items()}
    indicators = tuple(_indicator(item, filters, breakdowns) for item in raw["indikator"])
    names = [i.name for i in indicators]
    if len(names) != len(set(names)):
        raise _invalid("nama indikator ganda")
    return Definitions(
        version=int(raw["versi"]),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        age_groups=age_groups,
        city_area_km2=Decimal(str(raw["luas_kota"]["km2"])),
        city_area_basis=raw["luas_kota"]["basis"],
        filters=filters,
        breakdowns=breakdowns,
        indicators=indicators,
    )


@cache
def default_definitions() -> Definitions:
    return definitions_parse(DEFINITIONS_FILE.read_text(encoding="utf-8"))


def _operand_text(op: Operand, definitions: Definitions) -> str:
    if op.area:
        return "luas wilayah (km²)"
    if op.event:
        return f"jumlah peristiwa {op.event.replace('_', ' ')} dalam periode (menurut tanggal peristiwa)"
    if op.families:
        return "jumlah KK"
    who = " dan ".join(definitions.filters[name] for name in op.filters)
    text = "jumlah penduduk" if op.filters == ("semua",) else f"jumlah penduduk dengan {who}"
    if op.scope_city:
        text += " se-kota"
    if op.previous:
        text += " pada snapshot " + ("semester lalu" if op.previous == "semester" else "setahun lalu")
    if op.mid_period:
        text = f"({text} awal periode + akhir periode) / 2"
    return text


def formula_text(indicator: Indicator, definitions: Definitions) -> str:
    """The definition in words, for the report's footnotes."""
    special = {
        "median_kelompok": "L + ((N/2 − CF) / f) × w, kelompok umur 5 tahunan",
        "median_tunggal": "L + ((N/2 − CF) / f) × w dengan umur tunggal (w = 1)",
        "selisih_neraca": "akhir − (awal + lahir + datang − mati − pindah)",
    }
    if indicator.kind in special:
        return special[indicator.kind]
    num = _operand_text(indicator.numerator, definitions)
    if indicator.denominator is None:
        return num
    den = _operand_text(indicator.denominator, definitions)
    if indicator.kind == "perubahan":
        return f"({num}) / ({den}) − 1, × {indicator.factor}"
    if indicator.kind == "laju_geometrik":
        return f"(({num}) / ({den}))^(1/t) − 1, × {indicator.factor}; t dalam tahun eksak"
    if indicator.kind == "laju_eksponensial":
        return f"ln(({num}) / ({den})) / t, × {indicator.factor}"
    factor = f" × {indicator.factor}" if indicator.factor != 1 else ""
    yearly = " × 12 / jumlah bulan periode (disetahunkan)" if indicator.annualised else ""
    return f"({num}) / ({den}){factor}{yearly}"
