"""The official SOP document (header table, procedure table with the flowchart) as HTML and PDF."""

from piak.web.pdf import render_pdf

from .flowchart import flowchart_rows
from .models import SopVersion


def sop_document_context(version: SopVersion) -> dict:
    definition = version.definition
    return {"version": version, "d": definition, "rows": flowchart_rows(definition)}


def sop_document_pdf(version: SopVersion) -> bytes:
    return render_pdf("sop/dokumen_pdf.html", sop_document_context(version))
