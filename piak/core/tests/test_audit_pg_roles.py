"""On PostgreSQL the application runs as a role that does not own the audit tables: it may add to the
chain and read it, nothing else, and no one but a superuser may TRUNCATE it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from piak.core.audit import Actor, audit_append, audit_chain_verify, register_action
from piak.core.models import AuditEvent

TEST_ACTION = register_action("test.pg_role", "Peristiwa uji peran basis data")


@pytest.fixture
def app_role(db, settings):
    """The application role, created and granted by the command (inside the test's transaction)."""
    call_command("db_roles")
    audit_append(action=TEST_ACTION, actor=Actor(None))
    return settings.PIAK_DB_APP_ROLE


def _as_role(role: str, statement: str) -> None:
    """Run `statement` as `role` in a savepoint; its failure rolls the savepoint back, SET ROLE with it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
        cursor.execute(statement)
        cursor.execute("RESET ROLE")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("TRUNCATE core_auditevent", "permission denied"),
        ("TRUNCATE core_auditchainhead", "permission denied"),
        ("UPDATE core_auditevent SET action = 'x'", "permission denied"),
        ("DELETE FROM core_auditevent", "permission denied"),
        ("DELETE FROM core_auditchainhead", "permission denied"),
        ("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only", "must be owner"),
        ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER core_auditevent_append_only ON core_auditevent", "must be owner"),
        ("DROP TRIGGER core_auditevent_no_truncate ON core_auditevent", "must be owner"),
        ("ALTER TABLE core_auditevent OWNER TO CURRENT_USER", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
    ],
)
def test_the_application_role_cannot_rewrite_the_chain(app_role, statement, refusal):
    before = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match=refusal):
        _as_role(app_role, statement)
    assert AuditEvent.objects.count() == before
    assert audit_chain_verify().ok


@pytest.mark.postgres
def test_the_application_role_appends_and_verifies(app_role):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
        cursor.execute("SELECT current_user, current_setting('is_superuser')")
        assert cursor.fetchone() == (app_role, "off")
        event = audit_append(action=TEST_ACTION, actor=Actor(None), payload={"sebagai": app_role})
        report = audit_chain_verify()
        cursor.execute("RESET ROLE")
    assert report.ok
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_the_application_role_owns_nothing(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [app_role])
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (False, False, False)


@pytest.mark.postgres
def test_truncate_is_refused_even_to_a_role_granted_truncate(app_role):
    """The trigger: an owner-like role that holds TRUNCATE is stopped too (only a superuser passes)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE piak_truncate_test NOLOGIN")  # rolled back with the test
        cursor.execute("GRANT TRUNCATE ON core_auditevent TO piak_truncate_test")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL truncates nothing with FK checks pending
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        _as_role("piak_truncate_test", "TRUNCATE core_auditevent")
    assert audit_chain_verify().ok


@pytest.mark.postgres
def test_the_command_refuses_a_superuser_as_application_role(db, settings):
    from django.core.management import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (superuser,) = cursor.fetchone()
    settings.PIAK_DB_APP_ROLE = superuser
    with pytest.raises(CommandError, match="superuser atau pemilik"):
        call_command("db_roles")


def test_the_application_url_is_used_at_runtime_and_the_owner_url_for_migrations(monkeypatch):
    from piak.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://piak_owner@db.example/piak")
    monkeypatch.setenv("DATABASE_APP_URL", "postgres://piak_app@db.example/piak")
    monkeypatch.delenv("PIAK_DB_OWNER", raising=False)
    assert database_from_env()["USER"] == "piak_app"
    monkeypatch.setenv("PIAK_DB_OWNER", "1")
    assert database_from_env()["USER"] == "piak_owner"


def test_db_roles_is_refused_on_sqlite(db):
    from django.core.management import CommandError

    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="hanya berlaku untuk PostgreSQL"):
        call_command("db_roles")


@pytest.mark.postgres
def test_as_the_application_role_a_login_works_past_a_forged_row(app_role, make_official, client):
    """The runtime rights are enough for a whole request (session, last login, audit), and the jam
    handling needs no right the application role lacks."""
    kadis = make_official("kadis", "kepala_dinas")
    head = AuditEvent.objects.order_by("-seq").first()
    with connection.cursor() as cursor:  # forged as the superuser, behind the application's back
        cursor.execute(
            "INSERT INTO core_auditevent (seq, action, role, acting_as, object_type, object_id, payload, "
            "document_hash, created_at, prev_hash, hash) VALUES (%s, 'auth.login', '', '', '', '', '{}', '', "
            "CURRENT_TIMESTAMP, %s, %s)",
            [head.seq + 1, head.hash, "d" * 64],
        )
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
        response = client.post("/masuk/", {"username": "kadis", "password": "rahasia-uji-123"})
        cursor.execute("RESET ROLE")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=kadis, seq=head.seq + 3).exists()
    assert audit_chain_verify().broken_seq == head.seq + 1


def test_the_piak_script_runs_only_migrate_and_db_roles_as_the_owner(monkeypatch):
    """Only the role switch is under test: Django's dispatcher is replaced by a recorder, since a real
    command run closes the test's database connection."""
    import os

    from piak.cli import main

    ran: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", ran.append)
    monkeypatch.delenv("PIAK_DB_OWNER", raising=False)
    main(["piak", "verify-audit"])
    assert "PIAK_DB_OWNER" not in os.environ
    main(["piak", "db-roles"])
    assert os.environ["PIAK_DB_OWNER"] == "1"
    assert ran == [["piak", "verify_audit"], ["piak", "db_roles"]]
