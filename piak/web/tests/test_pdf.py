import subprocess

import pytest
from django.template import engines

from piak.web.pdf import render_pdf


@pytest.fixture
def sample_template(tmp_path, settings):
    """A throwaway template that extends the A4 base, as every printed document does."""
    (tmp_path / "sample.html").write_text(
        '{% extends "print/base_a4.html" %}{% block content %}<p>Uji cetak {{ angka }}</p>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    engines._engines = {}  # the template engine reads DIRS once; drop the cached one
    yield "sample.html"
    engines._engines = {}


def test_render_pdf_produces_a4_with_the_kop_surat(sample_template, tmp_path):
    pdf = render_pdf(sample_template, {"angka": 42})
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "PEMERINTAH KOTA PALEMBANG" in text
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    assert "Uji cetak 42" in text
    assert "Halaman 1 dari 1" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info


def test_render_pdf_refuses_network_resources():
    from piak.web.pdf import OfflineFetcher

    with pytest.raises(ValueError, match="disallowed protocol"):
        OfflineFetcher().fetch("http://example.org/logo.png")
