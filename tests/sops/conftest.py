"""The engine across every shipped SOP, with what each SOP's app does on the way (tests/sops/drive.py)."""

from piak.sop.tests.conftest import media_storage  # noqa: F401
