"""Moments Django formats by itself (the admin) read as `waktu_wib` writes them: WIB, labelled."""

from piak.core.waktu import MINUTES as DATETIME_FORMAT  # noqa: F401
