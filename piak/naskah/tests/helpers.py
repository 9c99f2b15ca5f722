import subprocess
from pathlib import Path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in reading order with all whitespace runs collapsed to one space."""
    path = tmp_path / "naskah.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def version_bytes(versi) -> bytes:
    with versi.berkas.open("rb") as handle:
        return handle.read()
