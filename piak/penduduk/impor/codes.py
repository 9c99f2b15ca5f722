"""Lookups from the code tables: a cell may hold the code, the label or an import alias."""

import re
from dataclasses import dataclass

import yaml

from piak.penduduk.models import KodeReferensi
from piak.penduduk.services import CODES_FILE

_SPACES = re.compile(r"\s+")

YES = {"Y", "YA", "ADA", "1", "SUDAH", "MEMILIKI"}
NO = {"N", "T", "TIDAK", "TIDAK ADA", "2", "BELUM", "TIDAK MEMILIKI"}


def normalise_label(value: str) -> str:
    return _SPACES.sub(" ", value.strip().upper())


@dataclass(frozen=True)
class CodeTable:
    name: str
    lookup: dict[str, int]

    def code_of(self, value: str) -> int | None:
        """The code a cell means, or None when it names nothing in this table."""
        found = self.lookup.get(value)
        if found is None:
            found = self.lookup.get(normalise_label(value))
        return found


def _kk_six_value_labels() -> dict[str, int]:
    """The KK form's six marital-status labels (Permendagri 118/2017) mapped to the four codes."""
    document = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    entry = document["status_kawin"]["kk_blanko_since_permendagri_118_2017"]
    return dict(entry["mapping_to_opensid"])


def code_tables() -> dict[str, CodeTable]:
    """Every table the importer needs, from the loaded `KodeReferensi` rows."""
    lookups: dict[str, dict[str, int]] = {}
    for tabel, kode, label, alias in KodeReferensi.objects.values_list("tabel", "kode", "label", "alias"):
        lookup = lookups.setdefault(tabel, {})
        for key in (str(kode), f"{kode:02d}", label, *alias):
            lookup[normalise_label(str(key))] = kode
    for label, kode in _kk_six_value_labels().items():
        lookups.setdefault("status_kawin", {})[normalise_label(label)] = kode
    return {name: CodeTable(name, lookup) for name, lookup in lookups.items()}
