"""Two snapshots side by side: the headline indicators for the city and the population per kecamatan,
each with the change from A to B, absolute and in percent of A.

The change is computed from the published (rounded) values, the figures a reader sees on both pages,
and rounded half-up to two decimals."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from piak.core.errors import DomainError
from piak.web.charts import number_id
from piak.web.xlsx import Sheet

from .definitions import default_definitions
from .engine import quantize_half_up
from .models import Snapshot
from .selectors import CITY, Scope, ValueKey, scope_city, value_map
from .tables import HEADLINE, plain, snapshot_run


@dataclass(frozen=True)
class Comparison:
    a: Snapshot
    b: Snapshot
    headline: Sheet
    kecamatan: Sheet
    source: list[str]

    @property
    def tables(self) -> list[Sheet]:
        return [self.headline, self.kecamatan]

    @property
    def stamp(self) -> str:
        return self.a.stamp or self.b.stamp

    @property
    def sheets(self) -> list[Sheet]:
        """The tables as spreadsheets, each stating both snapshots it compares."""
        return [sheet.with_notes(self.source) for sheet in self.tables]


def change(before: Decimal | int | None, after: Decimal | int | None) -> tuple[Decimal | int | None, Decimal | None]:
    """(after − before, that difference in percent of before); a missing value or a zero base gives None."""
    if before is None or after is None:
        return None, None
    percent = None if before == 0 else quantize_half_up(Decimal(after - before) * 100 / Decimal(before), 2)
    return after - before, percent


def _values(snapshot: Snapshot) -> dict[ValueKey, Decimal | None]:
    wanted = Q(kode_wilayah=CITY, rincian="", indikator__in=list(HEADLINE))
    wanted |= Q(tingkat="kecamatan", rincian="", indikator="jumlah_penduduk")
    return {key: stored.nilai for key, stored in value_map(snapshot_run(snapshot), wanted).items()}


def _header(first: str, a: Snapshot, b: Snapshot) -> list[str]:
    return [first, _label(a, "A"), _label(b, "B"), "Selisih (B − A)", "Perubahan (%)"]


def _label(snapshot: Snapshot, letter: str) -> str:
    return f"{letter}: #{snapshot.pk} ({snapshot.tanggal_potong:%d-%m-%Y})"


def _headline_sheet(a: Snapshot, b: Snapshot, va: dict, vb: dict) -> Sheet:
    definitions = default_definitions()
    rows = []
    for name in HEADLINE:
        indicator = definitions.indicator(name)
        key = (name, CITY, "", "")
        before, after = plain(va.get(key), indicator.decimals), plain(vb.get(key), indicator.decimals)
        rows.append([f"{indicator.label} ({indicator.unit})", before, after, *change(before, after)])
    notes = ["Selisih indikator dalam persen adalah selisih poin persen; perubahan (%) relatif terhadap A."]
    title = "Perbandingan indikator utama Kota Palembang"
    return Sheet("Indikator utama", title, _header("Indikator", a, b), rows, notes, "menurut satuan tiap indikator")


def _kecamatan_sheet(a: Snapshot, b: Snapshot, va: dict, vb: dict, scope: Scope) -> Sheet:
    rows = []
    for code, name in [(p.code, p.name) for p in scope.parts] + [(CITY, scope.name)]:
        key = ("jumlah_penduduk", code, "", "")
        before, after = plain(va.get(key), 0), plain(vb.get(key), 0)
        rows.append([name, before, after, *change(before, after)])
    title = "Perbandingan jumlah penduduk per kecamatan"
    return Sheet("Penduduk per kecamatan", title, _header("Kecamatan", a, b), rows, [], "jiwa; perubahan %")


def comparison_build(*, a: Snapshot, b: Snapshot) -> Comparison:
    if a.pk == b.pk:
        raise DomainError("Pilih dua snapshot yang berbeda untuk dibandingkan.", code="comparison_same_snapshot")
    va, vb = _values(a), _values(b)
    source = [
        f"Sumber: {_label(s, letter)}, {number_id(s.jumlah_baris)} penduduk, SHA-256 {s.sha256}."
        for letter, s in (("A", a), ("B", b))
    ]
    return Comparison(
        a=a,
        b=b,
        headline=_headline_sheet(a, b, va, vb),
        kecamatan=_kecamatan_sheet(a, b, va, vb, scope_city()),
        source=source,
    )
