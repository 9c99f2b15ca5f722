"""Fixtures shared by every app's tests."""

from datetime import date

import pytest

from piak.core.models import Capacity, Role, User
from piak.core.services import role_assign
from piak.core.testing import acting_appoint_confirmed


@pytest.fixture
def make_official(db):
    """Create a user holding `role` (definitively unless told otherwise) from `mulai` to `selesai`; an acting
    (Plt/Plh) holding is entered and confirmed through the services, so it is in force."""

    def make(
        username: str,
        role: str | None = None,
        *,
        capacity: str = Capacity.DEFINITIF,
        mulai: date = date(2020, 1, 1),
        selesai: date | None = None,
        **fields,
    ) -> User:
        user = User.objects.create_user(username=username, password="rahasia-uji-123", **fields)
        if role and capacity != Capacity.DEFINITIF:
            acting_appoint_confirmed(user=user, role=role, capacity=capacity, mulai=mulai, selesai=selesai)
        elif role:
            role_assign(user=user, role=Role.objects.get(code=role), capacity=capacity, mulai=mulai, selesai=selesai)
        return user

    return make


@pytest.fixture
def office(make_official):
    """One official per role, each holding it definitively (usernames equal the role codes); the Kepala
    Dinas has a signing passphrase, set before anything is counted."""
    from piak.core.roles import ROLES
    from piak.naskah.tests.helpers import passphrase_for

    office = {code: make_official(code, code, nama_cetak=f"Pejabat {code}") for code, _ in ROLES}
    passphrase_for(office["kepala_dinas"])
    return office


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path_factory):
    """A checkpoint folder per test: a checkpoint names a chain head that the test's rollback removes."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")
    return settings.AUDIT_CHECKPOINT_DIR


@pytest.fixture(scope="session")
def signer_dir(tmp_path_factory):
    """A local CA and office certificate for the test session (letters are really signed in tests)."""
    from piak.naskah.signing import local_ca_ensure

    directory = tmp_path_factory.mktemp("signer")
    local_ca_ensure(directory)
    return directory


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on the SQLite run they are skipped with a reason."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="butuh PostgreSQL (DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
