"""The dashboard tests drive SOP cases and statistics snapshots with those apps' own fixtures."""

from piak.sop.tests.conftest import office  # noqa: F401
from piak.statistik.tests.conftest import hand_snapshots, snapshot_dir  # noqa: F401
