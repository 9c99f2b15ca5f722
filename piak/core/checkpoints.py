"""Signed checkpoints of the audit chain head, kept outside the database.

The chain's own head row lives in the same database as the events, so someone who can delete the newest
events can rewind it too. A checkpoint is one JSON line `{"seq", "hash", "dibuat", "alasan", "tanda"}`
appended to `AUDIT_CHECKPOINT_DIR/checkpoints.jsonl`, signed with an HMAC whose key is derived from
`AUDIT_CHAIN_KEY` (never stored in the database). `audit_chain_verify` checks the chain against every
valid checkpoint: the event at a checkpoint's sequence must still carry its hash, and the chain must
reach the newest checkpoint. Written daily by the worker, by `piak audit-checkpoint` (backups) and when
a letter is archived.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import GENESIS_HASH, chain_key
from .models import AuditChainHead

FILE_NAME = "checkpoints.jsonl"
SIGNED_FIELDS = ("seq", "hash", "dibuat", "alasan")


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _checkpoint_key() -> bytes:
    """A key of its own (derived), so a checkpoint signature can never pass for an event hash."""
    return hmac.new(chain_key(), b"piak-audit-checkpoint-v1", hashlib.sha256).digest()


def _signature(entry: dict) -> str:
    message = json.dumps([entry[name] for name in SIGNED_FIELDS], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_checkpoint_key(), message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    dibuat: str
    alasan: str

    @property
    def label(self) -> str:
        return f"checkpoint #{self.seq} ({self.alasan}, {self.dibuat})"

    def truncation(self, last_seq: int) -> str:
        return f"rantai terpotong: {self.label} mencatat peristiwa #{self.seq}, tetapi rantai hanya sampai #{last_seq}"

    def mismatch(self, found_hash: str) -> str:
        return (
            f"rantai terpotong dan ditulis ulang: {self.label} mencatat hash {self.hash[:16]}…, tetapi "
            f"peristiwa #{self.seq} di basis data ber-hash {found_hash[:16]}…"
        )


def audit_checkpoint_write(*, alasan: str) -> Checkpoint:
    """Append a signed checkpoint of the committed chain head. Call it outside a transaction, or through
    `audit_checkpoint_after_commit`: a head that is later rolled back must never be checkpointed."""
    head = AuditChainHead.objects.filter(id=1).first()
    entry = {
        "seq": head.last_seq if head else 0,
        "hash": head.last_hash if head else GENESIS_HASH,
        "dibuat": timezone.now().isoformat(timespec="seconds"),
        "alasan": alasan,
    }
    line = json.dumps({**entry, "tanda": _signature(entry)}, ensure_ascii=False) + "\n"
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # O_APPEND: concurrent writers each add whole lines; fsync so a crash right after leaves the line.
    descriptor = os.open(directory / FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return Checkpoint(**entry)


def audit_checkpoint_after_commit(*, alasan: str) -> None:
    transaction.on_commit(lambda: audit_checkpoint_write(alasan=alasan))


@dataclass(frozen=True)
class CheckpointFile:
    valid: list[Checkpoint]
    invalid: list[tuple[int, str]]  # (line number, why it is not trusted)

    @property
    def newest(self) -> Checkpoint | None:
        return max(self.valid, key=lambda point: point.seq, default=None)


def checkpoints_read() -> CheckpointFile:
    path = checkpoint_dir() / FILE_NAME
    valid: list[Checkpoint] = []
    invalid: list[tuple[int, str]] = []
    if not path.exists():
        return CheckpointFile(valid, invalid)
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                point, reason = _parse(line)
                if point is not None:
                    valid.append(point)
                else:
                    invalid.append((number, reason))
    return CheckpointFile(valid, invalid)


def _parse(line: str) -> tuple[Checkpoint | None, str]:
    try:
        entry = json.loads(line)
        signed = {name: entry[name] for name in SIGNED_FIELDS}
        signature = entry["tanda"]
        if not isinstance(signed["seq"], int) or not isinstance(signature, str):
            return None, "isinya tidak sah"
        datetime.fromisoformat(signed["dibuat"])
    except (ValueError, KeyError, TypeError):
        return None, "isinya tidak sah"
    if not hmac.compare_digest(signature, _signature(signed)):
        return None, f"tanda tangan tidak cocok (mencatat peristiwa #{signed['seq']})"
    return Checkpoint(**signed), ""
