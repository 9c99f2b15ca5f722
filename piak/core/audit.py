"""The append-only audit chain.

Each event's hash is an HMAC over its content and the previous event's hash, keyed by a secret the
database does not hold, so a row altered, inserted or removed behind the application's back is found
by `audit_chain_verify`. Appends lock the single chain-head row, which serialises them. A row forged at
the next sequence number does not jam the chain: the append records a break event after the highest
sequence and carries on (see `docs/audit.md`). Signed checkpoints outside the database
(`piak.core.checkpoints`) reveal a chain cut back together with its head row.
"""

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from .errors import DomainError
from .models import AuditChainHead, AuditEvent, User

GENESIS_HASH = "0" * 64
logger = logging.getLogger(__name__)

# Registered action names with the description shown to people. Apps register theirs at import time.
ACTIONS: dict[str, str] = {}


def register_action(name: str, description: str) -> str:
    if name in ACTIONS and ACTIONS[name] != description:
        raise ValueError(f"audit action {name!r} registered twice with different descriptions")
    ACTIONS[name] = description
    return name


def chain_key() -> bytes:
    return (getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY).encode()


def _normalise(payload: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through JSON so the stored and the hashed payload are the same value."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def compute_event_hash(event: AuditEvent) -> str:
    content = [
        event.seq,
        event.action,
        event.actor_id,
        event.role,
        event.acting_as,
        event.object_type,
        event.object_id,
        event.payload,
        event.document_hash,
        event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.prev_hash,
    ]
    message = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Actor:
    """Who acts and in which capacity: the role held and, for an acting official, 'plt' or 'plh'."""

    user: User | None
    role: str = ""
    acting_as: str = ""


CHAIN_BREAK = register_action("audit.chain_break", "Rantai audit terganggu: baris asing pada nomor berikutnya")


def audit_append(
    *,
    action: str,
    actor: Actor,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    document_hash: str = "",
) -> AuditEvent:
    if action not in ACTIONS:
        raise DomainError(f"Jenis peristiwa audit '{action}' tidak terdaftar.", code="audit_unknown_action")
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            action=action,
            actor=actor.user,
            role=actor.role,
            acting_as=actor.acting_as,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            payload=_normalise(payload or {}),
            document_hash=document_hash,
        )
        if not _insert_after(head, event, seq=head.last_seq + 1):
            _jammed_append(head, event)
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def _insert_after(head: AuditChainHead, event: AuditEvent, *, seq: int) -> bool:
    """Link `event` to the head at `seq`; False (nothing written) when a row already takes that number."""
    event.seq, event.prev_hash, event.created_at = seq, head.last_hash, timezone.now()
    event.hash = compute_event_hash(event)
    try:
        with transaction.atomic():  # a savepoint: the collision must not spoil the caller's transaction
            event.save(force_insert=True)
    except IntegrityError:
        return False
    head.last_seq, head.last_hash = event.seq, event.hash
    return True


def _jammed_append(head: AuditChainHead, event: AuditEvent) -> None:
    """A row the application did not write holds the next number. Record the break after the highest
    number, then the action itself, so the user's action (a login too) never fails for it."""
    for _attempt in range(3):
        highest = AuditEvent.objects.aggregate(top=Max("seq"))["top"] or head.last_seq
        logger.error(
            "Audit chain jammed: seq %s is taken by a row the application did not write (highest %s); "
            "recording the break and continuing after it. Run `piak verify-audit`.",
            head.last_seq + 1,
            highest,
        )
        marker = AuditEvent(
            action=CHAIN_BREAK,
            payload={"seq_bentrok": head.last_seq + 1, "seq_tertinggi": highest, "ujung_sah": head.last_seq},
        )
        if _insert_after(head, marker, seq=highest + 1) and _insert_after(head, event, seq=head.last_seq + 1):
            return
    raise DomainError("Jejak audit tidak dapat ditulis; hubungi admin.", code="audit_chain_jammed")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    problems: tuple[str, ...] = field(default=())
    checkpoint_seq: int | None = None  # the newest valid checkpoint the chain was checked against


MAX_LISTED = 50


@dataclass
class _Walk:
    """State of the streaming walk: the last genuine event and the stored hash of the row before."""

    expected_seq: int = 1
    genuine_hash: str = GENESIS_HASH
    row_hash: str = GENESIS_HASH
    last_seq: int = 0
    checked: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    unlisted: int = 0  # problems beyond MAX_LISTED, counted but not kept

    def refuse(self, seq: int, reason: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append((seq, reason))
        else:
            self.unlisted += 1


def _walk_event(walk: _Walk, event: AuditEvent) -> None:
    gap = event.seq != walk.expected_seq
    if gap:
        walk.refuse(walk.expected_seq, f"peristiwa #{walk.expected_seq} hilang (terhapus)")
    if not hmac.compare_digest(event.hash, compute_event_hash(event)):
        walk.refuse(event.seq, f"peristiwa #{event.seq}: isi peristiwa telah diubah atau disisipkan (dipalsukan)")
    else:
        # A genuine event links to the last genuine one; after a forged row, to the genuine one before it.
        if not gap and event.prev_hash not in (walk.genuine_hash, walk.row_hash):
            walk.refuse(event.seq, f"peristiwa #{event.seq}: tautan ke peristiwa sebelumnya tidak cocok")
        walk.genuine_hash = event.hash
    walk.row_hash, walk.last_seq = event.hash, event.seq
    walk.expected_seq, walk.checked = event.seq + 1, walk.checked + 1


def audit_chain_verify() -> ChainReport:
    """Walk the chain in order, streaming; report every event whose position, link or content is wrong,
    a head row that does not match the last event, and a chain shorter than or different from a
    signed checkpoint kept outside the database."""
    from .checkpoints import checkpoints_read

    checkpoints = checkpoints_read()
    expected = {point.seq: point for point in checkpoints.valid}
    walk = _Walk()
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        _walk_event(walk, event)
        point = expected.get(event.seq)
        if point is not None and not hmac.compare_digest(point.hash, event.hash):
            walk.refuse(event.seq, point.mismatch(event.hash))
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (walk.last_seq, walk.row_hash):
        walk.refuse(
            min(head_seq, walk.last_seq) + 1, "ujung rantai tidak cocok: peristiwa terakhir dihapus atau disisipkan"
        )
    newest = checkpoints.newest
    if newest is not None and newest.seq > walk.last_seq:
        walk.refuse(walk.last_seq + 1, newest.truncation(walk.last_seq))
    for line_no, reason in checkpoints.invalid:
        walk.refuse(0, f"checkpoint baris {line_no} tidak dipercaya: {reason}")
    return _report(walk, newest.seq if newest else None)


def _report(walk: _Walk, checkpoint_seq: int | None) -> ChainReport:
    if not walk.problems:
        return ChainReport(True, walk.checked, checkpoint_seq=checkpoint_seq)
    seq, reason = walk.problems[0]
    listed = [message for _seq, message in walk.problems]
    if walk.unlisted:
        listed.append(f"… dan {walk.unlisted} masalah lain")
    return ChainReport(False, walk.checked, seq, reason, problems=tuple(listed), checkpoint_seq=checkpoint_seq)


# The request being served, so changes caught by model signals (users, groups) name who made them.
_current_request: ContextVar[Any] = ContextVar("audit_current_request", default=None)


@contextmanager
def request_actor(request) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def request_user() -> User | None:
    """The signed-in user of the request being served, if any."""
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
