"""The official SOP document: every text of the definition is in the PDF, and the definition is faithful
to the original SOP document."""

import re
import subprocess

import pytest

from piak.sop.definition import SHIPPED_DIR, definition_parse, shipped_definitions
from piak.sop.document import sop_document_pdf
from piak.sop.flowchart import flowchart_rows

from .conftest import latest

ORIGINAL = (SHIPPED_DIR / "asli" / "sop-asli-bidang-piak.txt").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)  # the original carries a little HTML (<b>, <li>, <i>)
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def _texts(definition, *, with_header: bool = True) -> list[str]:
    texts = [t for s in definition.langkah for t in (s.aktivitas, s.kelengkapan, s.waktu, s.output, s.keterangan) if t]
    if with_header:
        texts += [
            definition.nama,
            definition.nomor,
            definition.peringatan,
            definition.pencatatan,
            *definition.dasar_hukum,
            *definition.kualifikasi_pelaksana,
            *definition.keterkaitan,
            *definition.peralatan,
            definition.disahkan_oleh["nama"],
            definition.disahkan_oleh["nip"],
        ]
    return texts


@pytest.mark.parametrize("kode", ["sop-1", "sop-2", "sop-3"])
def test_every_text_of_the_definition_appears_in_the_rendered_pdf(db, tmp_path, kode):
    version = latest(kode)
    path = tmp_path / f"{kode}.pdf"
    path.write_bytes(sop_document_pdf(version))
    text = _flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    missing = [t for t in _texts(version.definition) if t != "-" and _flat(t) not in text]
    assert missing == []
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape


@pytest.mark.parametrize("kode", ["sop-1", "sop-2", "sop-3"])
def test_the_shipped_definitions_are_faithful_to_the_original_document(kode):
    definition = definition_parse(shipped_definitions()[kode])
    original = _flat(ORIGINAL)
    missing = [t for t in _texts(definition) if _flat(t) not in original]
    assert missing == []


def test_flowchart_draws_the_symbols_and_arrows_of_each_step():
    definition = definition_parse(shipped_definitions()["sop-2"])
    rows = flowchart_rows(definition)
    assert len(rows) == 7
    assert rows[0].svg.count('rx="15.0"') == 1  # start capsule
    assert rows[-1].svg.count('rx="15.0"') == 1  # end capsule
    assert all("<polygon points=" in rows[i].svg for i in (1, 2, 3))  # decision diamonds (return allowed)
    assert "tidak" in rows[3].svg and "tidak" not in rows[4].svg
    assert "<rect" in rows[4].svg  # a plain process box


def test_a_hostile_activity_text_cannot_add_attributes_or_elements_to_the_flowchart():
    import xml.etree.ElementTree as ElementTree

    import yaml

    data = yaml.safe_load(shipped_definitions()["sop-2"])
    hostile = 'Periksa" onload="alert(1)" x="</title><script>alert(2)</script>'
    data["langkah"][0]["aktivitas"] = hostile
    svg = flowchart_rows(definition_parse(yaml.safe_dump(data, allow_unicode=True)))[0].svg
    root = ElementTree.fromstring(svg)  # still well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert set(root.attrib) == {"viewBox", "width", "height", "role", "aria-label"}
    assert root.attrib["aria-label"] == f"Langkah 1: {hostile}"
    assert root.find(f"{ns}title").text == f"Langkah 1: {hostile}"
    assert not list(root.iter(f"{ns}script"))
    assert "onload" not in {name for element in root.iter() for name in element.attrib}
