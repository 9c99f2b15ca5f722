"""The one way a moment is written for people: in the office's time zone (WIB), labelled as such.

Every timestamp shown, printed or exported (pages, PDFs, spreadsheets, e-mails, notices) goes through
`waktu_wib`; a spreadsheet gets the text, since a workbook cannot hold an aware datetime. What Django
formats by itself (the admin's lists and fields) uses the same format through the locale format modules
(`piak.web.formats`). Dates without a time of day need no label and are formatted where they are used.
"""

from datetime import datetime

from django.utils import dateformat

from .worktime import WIB

# Django date-format syntax, so the locale format modules can share them.
MINUTES = r"d-m-Y H:i \W\I\B"
SECONDS = r"d-m-Y H:i:s \W\I\B"


def waktu_wib(moment: datetime | None, *, seconds: bool = False) -> str:
    """`01-12-2026 19:48 WIB` for an aware moment (any zone), "" for none.

    A naive datetime is refused: it names no instant, so its WIB hour cannot be known."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        raise ValueError("waktu_wib needs an aware datetime")
    return dateformat.format(moment.astimezone(WIB), SECONDS if seconds else MINUTES)
