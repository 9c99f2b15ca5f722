"""The indicator engine: every definition, for the city, each kecamatan and each kelurahan, from a snapshot.

DuckDB does the counting, one grouped scan per breakdown shape over the snapshot's Parquet (city,
kecamatan and kelurahan come out of the same scan as grouping sets). Python then turns counts into values
with Decimal, rounding half-up once, on the final value. Nothing here touches the Django database: the
caller passes regions and areas in and stores what comes out (services.indicators_compute).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from pathlib import Path
from typing import NamedTuple

import duckdb

from . import schema
from .definitions import UNKNOWN, Definitions, Indicator, Operand

KOTA, KECAMATAN, KELURAHAN = "kota", "kecamatan", "kelurahan"
CITY_CODE = "16.71"
SINGLE_AGE = "umur_tunggal"  # internal breakdown used by the exact median; never stored
DAYS_PER_YEAR = Decimal("365.25")

Shape = tuple[str, ...]
Categories = tuple[int | None, ...]
GroupKey = tuple[str, str, Categories]  # (level, region code, category codes)


@dataclass(frozen=True)
class Region:
    level: str
    code: str
    area_km2: Decimal | None = None
    area_basis: str = ""
    area_note: str = ""  # why the area is missing or uncertain


@dataclass(frozen=True)
class PopulationSource:
    """The snapshot being computed, or a previous one used for growth and mid-period population."""

    penduduk: Path
    cutoff: date
    peristiwa: Path | None = None
    period_start: date | None = None


class ValueRow(NamedTuple):
    indicator: str
    level: str
    region: str
    breakdown: str
    category: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    factor: Decimal
    note: str = ""


def quantize_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@cache
def category_key(categories: Categories) -> str:
    return ",".join(UNKNOWN if code is None else str(code) for code in categories)


# ---------------------------------------------------------------------------------------------- counting
#
# Stage 1 scans the Parquet file: once per kelurahan for the unbroken counts (every filter, distinct KK),
# and with grouping sets over the raw columns for the breakdowns. Grouping by the small integer
# `wilayah_no` and raw small-integer columns lets DuckDB use its perfect-hash aggregation. Stage 2 works
# on that small result: it maps raw values to categories (age groups, merged and unknown codes) and
# rolls kelurahan up to kecamatan and the city. Counts are additive, so both stages are exact.

Counts = dict[Shape, dict[GroupKey, dict[str, int]]]
_stage = iter(range(1, 1 << 30))


def _filter_key(filters: tuple[str, ...]) -> str:
    return "f_" + "__".join(filters)


def _sum_sql(filters: tuple[str, ...], definitions: Definitions) -> str:
    if filters == ("semua",):
        return "count(*)"
    predicate = " AND ".join(f"({definitions.filters[name]})" for name in filters)
    return f"sum(CAST({predicate} AS INTEGER))"


def _columns(shape: Shape, definitions: Definitions) -> tuple[str, ...]:
    return tuple("umur" if name == SINGLE_AGE else definitions.breakdowns[name].column for name in shape)


def _parquet(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def _category_sql(name: str, definitions: Definitions) -> str:
    """SQL mapping a raw column to its category code (NULL = tidak diketahui), run on stage 1's result."""
    if name == SINGLE_AGE:
        return "umur"
    breakdown = definitions.breakdowns[name]
    if breakdown.age_groups:
        whens = " ".join(f"WHEN umur >= {g.lower} THEN {g.lower}" for g in reversed(breakdown.age_groups))
        return f"CASE {whens} END"
    column = breakdown.column
    whens = [f"WHEN {column} IN ({', '.join(map(str, breakdown.codes))}) THEN {column}"]
    whens += [f"WHEN {column} = {raw} THEN {merged}" for raw, merged in breakdown.merge.items()]
    return f"CASE {' '.join(whens)} END"


def _scan(
    con: duckdb.DuckDBPyConnection, source: str, needs: dict[Shape, dict[str, str]], definitions: Definitions
) -> Counts:
    counts: Counts = {}
    unbroken = needs.get((), {})
    if unbroken:
        table = f"stage_{next(_stage)}"
        columns = ", ".join(f"{sql} AS {key}" for key, sql in unbroken.items())
        con.execute(
            f"CREATE TEMP TABLE {table} AS SELECT wilayah_no, 0 AS g, {columns} FROM {source} GROUP BY wilayah_no"
        )
        counts[()] = _rolled_up(con, table, (), (), list(unbroken), definitions)
    # DuckDB computes every aggregate for every grouping set: plain head counts (most breakdowns) share
    # one scan; each shape with filtered counts gets its own, with only its aggregates (twice as fast).
    plain = {shape: aggs for shape, aggs in needs.items() if shape and list(aggs) == ["f_semua"]}
    filtered = [{shape: aggs} for shape, aggs in needs.items() if shape and shape not in plain]
    for group in [plain, *filtered] if plain else filtered:
        counts |= _scan_grouping_sets(con, source, group, definitions)
    return counts


def _scan_grouping_sets(
    con: duckdb.DuckDBPyConnection, source: str, needs: dict[Shape, dict[str, str]], definitions: Definitions
) -> Counts:
    shapes = {shape: _columns(shape, definitions) for shape in needs}
    aggregates = {key: sql for shape in shapes for key, sql in needs[shape].items()}
    all_columns = sorted({column for columns in shapes.values() for column in columns})
    distinct_sets = dict.fromkeys(tuple(sorted(set(columns))) for columns in shapes.values())
    sets = ", ".join("(" + ", ".join(("wilayah_no", *columns)) + ")" for columns in distinct_sets)
    table = f"stage_{next(_stage)}"
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT GROUPING_ID({', '.join(all_columns)}) AS g, wilayah_no, "
        f"{', '.join(all_columns)}, {', '.join(f'{sql} AS {key}' for key, sql in aggregates.items())} "
        f"FROM {source} GROUP BY GROUPING SETS ({sets})"
    )
    width = len(all_columns)
    result: Counts = {}
    for shape, columns in shapes.items():
        # GROUPING_ID has a 1 bit for every column rolled up, the first column being the highest bit.
        grouping_id = sum(1 << (width - 1 - i) for i, c in enumerate(all_columns) if c not in set(columns))
        result[shape] = _rolled_up(con, table, shape, (grouping_id,), list(needs[shape]), definitions)
    return result


def _region_of(rolled_kec: int, rolled_kel: int, kec: int | None, number: int | None) -> tuple[str, str]:
    if not rolled_kel:
        return (KELURAHAN, schema.kode_kelurahan(number))
    if not rolled_kec:
        return (KECAMATAN, f"{CITY_CODE}.{kec:02d}")
    return (KOTA, CITY_CODE)


def _rolled_up(
    con: duckdb.DuckDBPyConnection,
    table: str,
    shape: Shape,
    grouping_id: tuple[int, ...],
    names: list[str],
    definitions: Definitions,
) -> dict[GroupKey, dict[str, int]]:
    categories = [f"{_category_sql(name, definitions)} AS c{i}" for i, name in enumerate(shape)]
    keys = [f"c{i}" for i in range(len(shape))]
    sets = ", ".join("(" + ", ".join([*region, *keys]) + ")" for region in ([], ["kec"], ["kec", "wilayah_no"]))
    where = f"WHERE g = {grouping_id[0]}" if grouping_id else ""
    sums = ", ".join(f"CAST(sum({name}) AS BIGINT)" for name in names)
    selected = ", ".join(["wilayah_no // 1000 AS kec", "wilayah_no", *categories, *names])
    inner = f"SELECT {selected} FROM {table} {where}"
    sql = (
        f"SELECT GROUPING(kec), GROUPING(wilayah_no), kec, wilayah_no, {', '.join([*keys, sums])} "
        f"FROM ({inner}) GROUP BY GROUPING SETS ({sets})"
    )
    width = len(shape)
    out: dict[GroupKey, dict[str, int]] = {}
    regions: dict[tuple, tuple[str, str]] = {}
    for row in con.execute(sql).fetchall():
        region = regions.get(row[:4])
        if region is None:
            region = regions[row[:4]] = _region_of(*row[:4])
        out[(*region, row[4 : 4 + width])] = dict(zip(names, row[4 + width :], strict=True))
    return out


def _resident_shapes(definitions: Definitions) -> Iterable[tuple[Indicator, Shape]]:
    for indicator in definitions.indicators:
        yield indicator, ()
        for shape in indicator.breakdowns:
            yield indicator, shape


def _operands(indicator: Indicator) -> list[Operand]:
    return [op for op in (indicator.numerator, indicator.denominator) if op is not None]


def _current_needs(definitions: Definitions) -> dict[Shape, dict[str, str]]:
    """Which counts each breakdown shape needs from the current snapshot's residents."""
    needs: dict[Shape, dict[str, str]] = defaultdict(dict)
    for indicator, shape in _resident_shapes(definitions):
        target = needs[shape]
        if indicator.kind == "median_kelompok":
            needs[("kelompok_umur",)]["f_semua"] = "count(*)"
        elif indicator.kind == "median_tunggal":
            needs[(SINGLE_AGE,)]["f_semua"] = "count(*)"
        for op in _operands(indicator):
            if op.families:
                target["keluarga"] = "count(DISTINCT keluarga_id)"
            elif op.filters and not op.previous:
                target[_filter_key(op.filters)] = _sum_sql(op.filters, definitions)
    return needs


def _previous_needs(definitions: Definitions, which: str) -> dict[Shape, dict[str, str]]:
    needs: dict[Shape, dict[str, str]] = defaultdict(dict)
    for indicator, shape in _resident_shapes(definitions):
        for op in _operands(indicator):
            if op.previous == which or (op.mid_period and which == "semester"):
                needs[shape][_filter_key(op.filters)] = _sum_sql(op.filters, definitions)
    return needs


def _event_counts(con: duckdb.DuckDBPyConnection, source: PopulationSource, definitions: Definitions) -> Counts:
    """Events by kind, counted by event date within the period; by region and by sex."""
    if source.peristiwa is None or source.period_start is None:
        return {}
    period = (
        f"(SELECT * FROM {_parquet(source.peristiwa)} WHERE tanggal_peristiwa BETWEEN "
        f"DATE '{source.period_start.isoformat()}' AND DATE '{source.cutoff.isoformat()}')"
    )
    kinds = {f"e_{kind}": f"sum(CAST(jenis = '{kind}' AS INTEGER))" for kind in schema.EVENT_KINDS}
    return _scan(con, period, {(): kinds, ("jenis_kelamin",): kinds}, definitions)


def _counts(con, path: Path, needs, definitions: Definitions) -> Counts:
    return _scan(con, _parquet(path), needs, definitions)


# ---------------------------------------------------------------------------------------------- values


@dataclass
class _Context:
    definitions: Definitions
    current: Counts
    events: Counts
    previous: dict[str, Counts]
    previous_cutoff: dict[str, date]
    source: PopulationSource
    regions: dict[tuple[str, str], Region]

    def count(self, counts: Counts, shape: Shape, key: GroupKey, name: str) -> int | None:
        group = counts.get(shape, {}).get(key)
        if group is None:
            return 0 if shape in counts else None
        return group.get(name, 0)

    def city_key(self, key: GroupKey) -> GroupKey:
        return (KOTA, CITY_CODE, key[2])


class NotAvailable(Exception):
    """The value cannot be computed; the message says why (shown in the table)."""


def _period_months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _operand_value(ctx: _Context, op: Operand, shape: Shape, key: GroupKey) -> Decimal:
    if op.area:
        return _area(ctx, key)
    if op.event:
        if not ctx.events:
            raise NotAvailable("snapshot ini tidak memuat data peristiwa")
        return Decimal(ctx.count(ctx.events, shape, key, f"e_{op.event}") or 0)
    if op.families:
        return Decimal(ctx.count(ctx.current, shape, key, "keluarga") or 0)
    name = _filter_key(op.filters)
    if op.previous:
        return _previous_count(ctx, op.previous, shape, key, name)
    if op.mid_period:
        start = _previous_count(ctx, "semester", shape, key, name)
        end = Decimal(ctx.count(ctx.current, shape, key, name) or 0)
        return (start + end) / 2
    target = ctx.city_key(key) if op.scope_city else key
    return Decimal(ctx.count(ctx.current, shape, target, name) or 0)


def _previous_count(ctx: _Context, which: str, shape: Shape, key: GroupKey, name: str) -> Decimal:
    counts = ctx.previous.get(which)
    if counts is None:
        label = "semester lalu" if which == "semester" else "setahun lalu"
        raise NotAvailable(f"tidak ada snapshot {label} untuk pembanding")
    return Decimal(ctx.count(counts, shape, key, name) or 0)


def _area(ctx: _Context, key: GroupKey) -> Decimal:
    level, code, _ = key
    if level == KOTA:
        return ctx.definitions.city_area_km2
    if level == KELURAHAN:
        raise NotAvailable("luas kelurahan belum tersedia")
    region = ctx.regions.get((level, code))
    if region is None or region.area_km2 is None:
        note = region.area_note if region and region.area_note else "luas tidak dipublikasikan"
        raise NotAvailable(f"luas kecamatan tidak diketahui: {note}")
    return region.area_km2


def _comma(number: Decimal) -> str:
    return str(number).replace(".", ",")  # Indonesian decimal comma in notes shown to people


def _area_note(ctx: _Context, key: GroupKey) -> str:
    level, code, _ = key
    if level == KOTA:
        return f"luas {_comma(ctx.definitions.city_area_km2)} km²: {ctx.definitions.city_area_basis}"
    region = ctx.regions[(level, code)]
    note = f"luas {_comma(region.area_km2)} km²: {region.area_basis}"
    return f"{note}; {region.area_note}" if region.area_note else note


def _ratio(ctx: _Context, ind: Indicator, shape: Shape, key: GroupKey) -> tuple:
    num = _operand_value(ctx, ind.numerator, shape, key)
    factor = ind.factor
    notes = []
    if ind.annualised:
        if ctx.source.period_start is None:
            raise NotAvailable("periode snapshot tidak diketahui")
        months = _period_months(ctx.source.period_start, ctx.source.cutoff)
        factor = factor * Decimal(12) / Decimal(months)
        notes.append(f"disetahunkan: periode {months} bulan, faktor × 12/{months}")
    if ind.denominator is None:
        return num * factor, num, None, factor, notes
    den = _operand_value(ctx, ind.denominator, shape, key)
    if ind.denominator.area:
        notes.append(_area_note(ctx, key))
    if den == 0:
        raise NotAvailable("penyebut nol")
    value = num * factor / den
    if ind.flag_above is not None and value > ind.flag_above:
        notes.append(f"melebihi {ind.flag_above}: pembilang dan penyebut dari basis berbeda; tidak dipangkas")
    return value, num, den, factor, notes


def _years_between(ctx: _Context, which: str) -> Decimal:
    days = (ctx.source.cutoff - ctx.previous_cutoff[which]).days
    return Decimal(days) / DAYS_PER_YEAR


def _growth(ctx: _Context, ind: Indicator, shape: Shape, key: GroupKey) -> tuple:
    num = _operand_value(ctx, ind.numerator, shape, key)
    den = _operand_value(ctx, ind.denominator, shape, key)
    if den == 0 or num == 0:
        raise NotAvailable("jumlah penduduk nol pada salah satu tanggal")
    ratio = num / den
    if ind.kind == "perubahan":
        return (ratio - 1) * ind.factor, num, den, ind.factor, []
    years = _years_between(ctx, ind.denominator.previous)
    note = f"t = {quantize_half_up(years, 4)} tahun (selisih tanggal potong / 365,25)"
    if ind.kind == "laju_geometrik":
        value = (ratio ** (1 / years) - 1) * ind.factor
    else:
        value = ratio.ln() / years * ind.factor
    return value, num, den, ind.factor, [note]


def _balance(ctx: _Context, ind: Indicator, shape: Shape, key: GroupKey) -> tuple:
    end = _operand_value(ctx, ind.numerator, shape, key)
    start = _operand_value(ctx, ind.denominator, shape, key)
    if not ctx.events:
        raise NotAvailable("snapshot ini tidak memuat data peristiwa")
    parts = {k: Decimal(ctx.count(ctx.events, shape, key, f"e_{k}") or 0) for k in _EVENT_ORDER}
    expected = start + parts["lahir"] + parts["pindah_masuk"] - parts["mati"] - parts["pindah_keluar"]
    note = (
        f"awal {start} + lahir {parts['lahir']} + datang {parts['pindah_masuk']} − mati {parts['mati']}"
        f" − pindah {parts['pindah_keluar']} = {expected}; akhir {end}"
    )
    if end != expected:
        note += "; selisih: peristiwa yang dilaporkan di luar periode atau data yang dikoreksi"
    return end - expected, end, expected, Decimal(1), [note]


_EVENT_ORDER = ("lahir", "pindah_masuk", "mati", "pindah_keluar")


def _median(ctx: _Context, ind: Indicator, shape: Shape, key: GroupKey) -> tuple:
    level, code, _ = key
    if ind.kind == "median_kelompok":
        groups = [(g.lower, g.width, (level, code, (g.lower,))) for g in ctx.definitions.age_groups]
        counts = ctx.current[("kelompok_umur",)]
        label = "kelompok 5 tahunan"
    else:
        ages = sorted(
            k[2][0] for k in ctx.current[(SINGLE_AGE,)] if k[0] == level and k[1] == code and k[2][0] is not None
        )
        groups = [(age, 1, (level, code, (age,))) for age in ages]
        counts = ctx.current[(SINGLE_AGE,)]
        label = "umur tunggal, w = 1"
    sizes = [(lower, width, counts.get(k, {}).get("f_semua", 0)) for lower, width, k in groups]
    return _interpolated_median(sizes, label)


def _interpolated_median(sizes: list[tuple[int, int | None, int]], label: str) -> tuple:
    """Median = L + ((N/2 − CF) / f) × w over groups (lower, width, count) of known ages."""
    total = sum(size for _, _, size in sizes)
    if total == 0:
        raise NotAvailable("tidak ada penduduk dengan umur diketahui")
    half = Decimal(total) / 2
    cumulative = 0
    for lower, width, size in sizes:
        if cumulative + size >= half and size > 0:
            if width is None:
                raise NotAvailable("median jatuh pada kelompok umur terbuka")
            num = half - cumulative
            value = lower + num / Decimal(size) * width
            note = f"{label}; L = {lower}, N = {total}, CF = {cumulative}, f = {size}, w = {width}"
            return value, num, Decimal(size), Decimal(width), [note]
        cumulative += size
    raise NotAvailable("median tidak dapat ditentukan")


_COMPUTE = {
    "rasio": _ratio,
    "perubahan": _growth,
    "laju_geometrik": _growth,
    "laju_eksponensial": _growth,
    "selisih_neraca": _balance,
    "median_kelompok": _median,
    "median_tunggal": _median,
}


def _value_row(ctx: _Context, ind: Indicator, shape: Shape, key: GroupKey) -> ValueRow:
    level, code, categories = key
    try:
        value, num, den, factor, notes = _COMPUTE[ind.kind](ctx, ind, shape, key)
        value = quantize_half_up(value, ind.decimals)
    except NotAvailable as reason:
        return ValueRow(ind.name, level, code, ",".join(shape), category_key(categories), None, None, None,
                        ind.factor, f"tidak tersedia: {reason}")  # fmt: skip
    return ValueRow(
        ind.name, level, code, ",".join(shape), category_key(categories), value, num, den, factor,
        "; ".join(notes),
    )  # fmt: skip


def _keys_for(ctx: _Context, ind: Indicator, shape: Shape) -> list[GroupKey]:
    """Every region for the unbroken figure; for breakdowns, every category seen, and for a single
    breakdown always the 'tidak diketahui' row, so each table's rows add up to its total."""
    if not shape:
        observed = {(k[0], k[1]) for k in ctx.current.get((), {})}
        return [(level, code, ()) for level, code in sorted(set(ctx.regions) | observed)]
    source = ctx.events if ind.numerator is not None and ind.numerator.event else ctx.current
    keys = set(source.get(shape, {}))
    if len(shape) == 1:
        keys |= {(level, code, (None,)) for level, code in ctx.regions}
    return list(keys)


def _plain_count_rows(ctx: _Context, ind: Indicator, shape: Shape) -> list[ValueRow] | None:
    """Head counts (no denominator, factor 1) — most rows — without the general path's overhead."""
    op = ind.numerator
    if ind.kind != "rasio" or ind.denominator is not None or ind.factor != 1 or ind.annualised:
        return None
    if op is None or op.area or op.families or op.previous or op.mid_period or op.scope_city:
        return None
    if op.event:
        if not ctx.events:
            return None
        counts, name = ctx.events.get(shape, {}), f"e_{op.event}"
    else:
        counts, name = ctx.current.get(shape, {}), _filter_key(op.filters)
    breakdown, empty, one = ",".join(shape), {}, Decimal(1)
    rows = []
    for key in _keys_for(ctx, ind, shape):
        count = Decimal(counts.get(key, empty).get(name) or 0)  # SUM over no matching rows is NULL
        rows.append(ValueRow(ind.name, key[0], key[1], breakdown, category_key(key[2]), count, count, None, one))
    return rows


def compute_indicators(
    *,
    definitions: Definitions,
    source: PopulationSource,
    regions: list[Region],
    previous: dict[str, PopulationSource] | None = None,
) -> list[ValueRow]:
    """All definitions × all regions × all declared breakdowns of one snapshot."""
    previous = previous or {}
    con = duckdb.connect()
    try:
        current = _counts(con, source.penduduk, _current_needs(definitions), definitions)
        events = _event_counts(con, source, definitions)
        previous_counts = {
            which: _counts(con, prev.penduduk, _previous_needs(definitions, which), definitions)
            for which, prev in previous.items()
        }
    finally:
        con.close()
    region_map = {(KOTA, CITY_CODE): Region(KOTA, CITY_CODE)} | {(r.level, r.code): r for r in regions}
    ctx = _Context(
        definitions=definitions,
        current=current,
        events=events,
        previous=previous_counts,
        previous_cutoff={which: prev.cutoff for which, prev in previous.items()},
        source=source,
        regions=region_map,
    )
    rows: list[ValueRow] = []
    with localcontext() as decimal_context:
        decimal_context.prec = 34
        for ind, shape in _resident_shapes(definitions):
            plain = _plain_count_rows(ctx, ind, shape)
            if plain is None:
                plain = [_value_row(ctx, ind, shape, key) for key in _keys_for(ctx, ind, shape)]
            rows += plain
    return rows


def compute_from_totals(
    *,
    definitions: Definitions,
    indicator: Indicator,
    totals: dict[tuple[str, ...], Decimal],
    cutoff: date,
    previous: dict[str, tuple[date, dict[tuple[str, ...], Decimal]]] | None = None,
) -> ValueRow:
    """One city-level value from published totals instead of a snapshot (e.g. census figures), through
    the same formulas and rounding as `compute_indicators`. `totals` maps filter names to counts."""
    city = (KOTA, CITY_CODE, ())

    def counts(values: dict[tuple[str, ...], Decimal]) -> Counts:
        return {(): {city: {_filter_key(filters): count for filters, count in values.items()}}}

    previous = previous or {}
    ctx = _Context(
        definitions=definitions,
        current=counts(totals),
        events={},
        previous={which: counts(values) for which, (_, values) in previous.items()},
        previous_cutoff={which: day for which, (day, _) in previous.items()},
        source=PopulationSource(penduduk=Path(), cutoff=cutoff),
        regions={(KOTA, CITY_CODE): Region(KOTA, CITY_CODE)},
    )
    with localcontext() as decimal_context:
        decimal_context.prec = 34
        return _value_row(ctx, indicator, (), city)
