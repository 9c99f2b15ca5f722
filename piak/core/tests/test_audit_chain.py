"""The chain cannot be rewound or jammed: signed checkpoints outside the database reveal a cut tail even
with its head row rewound, and a row forged at the next number neither stops logins nor goes unreported."""

import json
import logging

import pytest
from django.core.management import CommandError, call_command

from piak.core import roles
from piak.core.audit import CHAIN_BREAK, Actor, audit_append, audit_chain_verify, register_action
from piak.core.checkpoints import FILE_NAME, audit_checkpoint_after_commit, audit_checkpoint_write, checkpoints_read
from piak.core.models import AuditChainHead, AuditEvent
from piak.core.tasks import audit_checkpoint_task
from piak.core.testing import sql_behind_the_app

TEST_ACTION = register_action("test.chain", "Peristiwa uji rantai")
PASSWORD = "rahasia-uji-123"  # the password of `make_official`'s users


@pytest.fixture
def chain(db):
    return [audit_append(action=TEST_ACTION, actor=Actor(None), payload={"n": n}) for n in range(5)]


def _cut_tail_and_rewind_head(keep: AuditEvent) -> None:
    sql_behind_the_app("DELETE FROM core_auditevent WHERE seq > %s", [keep.seq])
    sql_behind_the_app(
        "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [keep.seq, keep.hash]
    )


def _forge_next_row() -> int:
    head = AuditChainHead.objects.get(id=1)
    seq = head.last_seq + 1
    sql_behind_the_app(
        "INSERT INTO core_auditevent (seq, action, role, acting_as, object_type, object_id, payload, "
        "document_hash, created_at, prev_hash, hash) VALUES (%s, 'auth.login', '', '', '', '', '{}', '', "
        "CURRENT_TIMESTAMP, %s, %s)",
        [seq, head.last_hash, "e" * 64],
    )
    return seq


def _verify_fails() -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    return str(error.value)


# --- checkpoints ------------------------------------------------------------------------------------------


def test_a_checkpoint_is_a_signed_line_outside_the_database(chain, audit_checkpoint_dir):
    point = audit_checkpoint_write(alasan="cadangan")
    line = json.loads((audit_checkpoint_dir / FILE_NAME).read_text().splitlines()[-1])
    assert (line["seq"], line["hash"], line["alasan"]) == (chain[-1].seq, chain[-1].hash, "cadangan")
    assert len(line["tanda"]) == 64
    report = audit_chain_verify()
    assert report.ok and report.checkpoint_seq == point.seq


def test_cut_tail_with_rewound_head_is_reported_as_truncation(chain, capsys):
    audit_checkpoint_write(alasan="harian")
    assert audit_chain_verify().ok
    _cut_tail_and_rewind_head(chain[2])
    message = _verify_fails()
    assert f"rantai terpotong: checkpoint #{chain[-1].seq}" in message
    assert f"tetapi rantai hanya sampai #{chain[2].seq}" in message


def test_without_a_checkpoint_the_same_cut_goes_unseen(chain):
    """Why checkpoints exist: the chain and its head agree again once both are rewound."""
    _cut_tail_and_rewind_head(chain[2])
    assert audit_chain_verify().ok


def test_a_rewound_chain_written_anew_past_the_checkpoint_is_reported(chain):
    audit_checkpoint_write(alasan="harian")
    _cut_tail_and_rewind_head(chain[2])
    for n in range(3):
        audit_append(action=TEST_ACTION, actor=Actor(None), payload={"ditulis_ulang": n})
    message = _verify_fails()
    assert f"rantai terpotong dan ditulis ulang: checkpoint #{chain[-1].seq}" in message
    assert f"peristiwa #{chain[-1].seq} di basis data ber-hash" in message


def test_a_checkpoint_with_a_bad_signature_is_reported_and_not_trusted(chain, audit_checkpoint_dir):
    audit_checkpoint_write(alasan="harian")
    path = audit_checkpoint_dir / FILE_NAME
    forged = json.loads(path.read_text()) | {"seq": 999}  # claims a longer chain, with the old signature
    with path.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    points = checkpoints_read()
    assert [point.seq for point in points.valid] == [chain[-1].seq]
    report = audit_chain_verify()
    assert not report.ok
    assert report.problems == (
        "checkpoint baris 2 tidak dipercaya: tanda tangan tidak cocok (mencatat peristiwa #999)",
    )


def test_a_checkpoint_signed_with_another_key_is_not_trusted(chain, settings):
    settings.AUDIT_CHAIN_KEY = "kunci-lain"
    audit_checkpoint_write(alasan="harian")
    settings.AUDIT_CHAIN_KEY = ""
    assert checkpoints_read().valid == []
    assert "tidak dipercaya" in audit_chain_verify().reason


def test_a_rolled_back_transaction_writes_no_checkpoint(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_checkpoint_after_commit(alasan="arsip")
    assert checkpoints_read().valid == []  # nothing until the transaction commits
    for callback in callbacks:
        callback()
    assert [point.alasan for point in checkpoints_read().valid] == ["arsip"]


def test_the_command_writes_a_checkpoint_for_a_backup(chain, capsys):
    call_command("audit_checkpoint", "--alasan", "cadangan")
    assert f"peristiwa #{chain[-1].seq}" in capsys.readouterr().out
    assert [point.alasan for point in checkpoints_read().valid] == ["cadangan"]


def test_the_daily_task_writes_a_checkpoint_and_queues_the_next(chain, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert audit_checkpoint_task.call() == chain[-1].seq
    assert [point.alasan for point in checkpoints_read().valid] == ["harian"]
    (queued,) = audit_checkpoint_task.get_backend().results
    assert queued.task.run_after is not None


@pytest.mark.django_db(transaction=True)
def test_scheduling_the_daily_checkpoint_queues_it_once(capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("audit_checkpoint", "--jadwalkan")
    call_command("audit_checkpoint", "--jadwalkan")
    assert DBTaskResult.objects.filter(task_path="piak.core.tasks.audit_checkpoint_task").count() == 1
    assert "sudah ada di antrean" in capsys.readouterr().out


# --- jam resistance ---------------------------------------------------------------------------------------


def test_a_forged_next_row_does_not_stop_appends_and_is_reported(chain, caplog):
    forged = _forge_next_row()
    with caplog.at_level(logging.ERROR, logger="piak.core.audit"):
        event = audit_append(action=TEST_ACTION, actor=Actor(None), payload={"n": "setelah"})
    assert f"Audit chain jammed: seq {forged} is taken" in caplog.text
    marker = AuditEvent.objects.get(seq=forged + 1)
    assert (marker.action, marker.payload["seq_bentrok"], marker.prev_hash) == (CHAIN_BREAK, forged, chain[-1].hash)
    assert (event.seq, event.prev_hash) == (forged + 2, marker.hash)
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == forged
    assert report.problems == (f"peristiwa #{forged}: isi peristiwa telah diubah atau disisipkan (dipalsukan)",)
    audit_append(action=TEST_ACTION, actor=Actor(None))  # the chain goes on normally after the break
    assert audit_chain_verify().problems == report.problems


def test_after_a_forged_row_the_kepala_dinas_still_logs_in(make_official, client):
    kadis = make_official("kadis", roles.KEPALA_DINAS)
    forged = _forge_next_row()
    response = client.post("/masuk/", {"username": "kadis", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kadis.pk)
    login = AuditEvent.objects.filter(action="auth.login", actor=kadis).get()
    assert login.seq == forged + 2
    assert f"peristiwa #{forged}: isi peristiwa telah diubah atau disisipkan (dipalsukan)" in _verify_fails()


def test_a_deleted_head_row_does_not_stop_appends(chain):
    sql_behind_the_app("DELETE FROM core_auditchainhead")
    event = audit_append(action=TEST_ACTION, actor=Actor(None))
    assert event.seq == chain[-1].seq + 2  # after the break marker
    report = audit_chain_verify()
    assert not report.ok and report.broken_seq == chain[-1].seq + 1  # the marker links to no genuine event


def test_verify_streams_the_chain_in_a_fixed_number_of_queries(chain, django_assert_num_queries):
    audit_checkpoint_write(alasan="harian")
    with django_assert_num_queries(2):  # the events, streamed in order, and the head row
        assert audit_chain_verify().ok
    for n in range(30):
        audit_append(action=TEST_ACTION, actor=Actor(None), payload={"n": n})
    with django_assert_num_queries(2):
        assert audit_chain_verify().checked == len(chain) + 30
