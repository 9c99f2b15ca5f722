"""HTML → PDF with WeasyPrint: one path for every printed document (letters, reports, SOP sheets)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class OfflineFetcher(URLFetcher):
    """Resolves `static:` URLs from the app static folders and refuses the network: a printed
    document must look the same on a machine without internet, and must never leak what it prints."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("static:"):
            path = finders.find(url.removeprefix("static:"))
            if path is None:
                raise ValueError(f"static file not found: {url}")
            url = Path(path).as_uri()
        return super().fetch(url, headers)


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template that extends `print/base_a4.html` to PDF bytes."""
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=OfflineFetcher(), base_url="file:///").write_pdf()
