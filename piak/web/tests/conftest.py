"""The dashboard tests drive SOP cases and statistics snapshots with those apps' own fixtures."""

from piak.statistik.tests.conftest import hand_snapshots, snapshot_dir  # noqa: F401
