import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from piak.core.audit import Actor, audit_append, audit_chain_verify, register_action
from piak.core.errors import DomainError
from piak.core.models import AuditEvent
from piak.core.testing import sql_behind_the_app

TEST_ACTION = register_action("test.sample", "Peristiwa uji")


@pytest.fixture
def chain(db):
    """Five events on a fresh chain."""
    return [audit_append(action=TEST_ACTION, actor=Actor(None), payload={"n": n}) for n in range(5)]


def test_intact_chain_verifies(chain):
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]


def test_altered_payload_is_found(chain):
    sql_behind_the_app("UPDATE core_auditevent SET payload = %s WHERE seq = %s", ['{"n": 99}', chain[2].seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == chain[2].seq
    assert "diubah" in report.reason


def test_altered_actor_role_is_found(chain):
    sql_behind_the_app("UPDATE core_auditevent SET role = 'kepala_dinas' WHERE seq = %s", [chain[1].seq])
    assert audit_chain_verify().broken_seq == chain[1].seq


def test_deleted_middle_event_is_found(chain):
    sql_behind_the_app("DELETE FROM core_auditevent WHERE seq = %s", [chain[2].seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == chain[2].seq
    assert "hilang" in report.reason


def test_deleted_last_event_is_found(chain):
    sql_behind_the_app("DELETE FROM core_auditevent WHERE seq = %s", [chain[4].seq])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == chain[4].seq


def test_inserted_event_is_found(chain):
    last = chain[-1]
    sql_behind_the_app(
        "INSERT INTO core_auditevent (seq, action, role, acting_as, object_type, object_id, payload, "
        "document_hash, created_at, prev_hash, hash) VALUES (%s, %s, '', '', '', '', %s, '', %s, %s, %s)",
        [last.seq + 1, TEST_ACTION, '{"n": 5}', last.created_at, last.hash, "f" * 64],
    )
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == last.seq + 1


def test_verify_audit_command_names_the_broken_event(chain):
    call_command("verify_audit")  # intact: no error
    sql_behind_the_app("UPDATE core_auditevent SET action = 'auth.login' WHERE seq = %s", [chain[3].seq])
    with pytest.raises(CommandError, match=rf"#{chain[3].seq}\b"):
        call_command("verify_audit")


def test_unregistered_action_is_refused_and_writes_nothing(db):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        audit_append(action="tidak.terdaftar", actor=Actor(None))
    assert error.value.code == "audit_unknown_action"
    assert AuditEvent.objects.count() == before


@pytest.mark.postgres
@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"])
def test_postgresql_refuses_update_and_delete(chain, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert audit_chain_verify().ok
