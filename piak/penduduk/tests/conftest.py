import pytest

from piak.penduduk.impor.run import import_file

from .helpers import IMMEDIATE, PASSWORD, family, task_backends_reset, write_csv


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    task_backends_reset()
    yield
    task_backends_reset()


@pytest.fixture
def register(db, tmp_path):
    """The register holding one family of three (helpers.family)."""
    assert import_file(write_csv(tmp_path / "k.csv", family())).exit_code == 0


@pytest.fixture
def login(client, make_official):
    """Sign the test client in as a new official holding `role` (None: no role)."""

    def as_role(role: str | None):
        make_official(f"u-{role}", role)
        client.login(username=f"u-{role}", password=PASSWORD)
        return client

    return as_role
