"""The append-only audit chain.

Each event's hash is an HMAC over its content and the previous event's hash, keyed by a secret the
database does not hold, so a row altered, inserted or removed behind the application's back is found
by `audit_chain_verify`. Appends lock the single chain-head row, which serialises them.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .errors import DomainError
from .models import AuditChainHead, AuditEvent, User

GENESIS_HASH = "0" * 64

# Registered action names with the description shown to people. Apps register theirs at import time.
ACTIONS: dict[str, str] = {}


def register_action(name: str, description: str) -> str:
    if name in ACTIONS and ACTIONS[name] != description:
        raise ValueError(f"audit action {name!r} registered twice with different descriptions")
    ACTIONS[name] = description
    return name


def _chain_key() -> bytes:
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
    return hmac.new(_chain_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Actor:
    """Who acts and in which capacity: the role held and, for an acting official, 'plt' or 'plh'."""

    user: User | None
    role: str = ""
    acting_as: str = ""


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
            seq=head.last_seq + 1,
            action=action,
            actor=actor.user,
            role=actor.role,
            acting_as=actor.acting_as,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            payload=_normalise(payload or {}),
            document_hash=document_hash,
            created_at=timezone.now(),
            prev_hash=head.last_hash,
        )
        event.hash = compute_event_hash(event)
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify() -> ChainReport:
    """Walk the chain in order; report the first event whose position, link or content is wrong."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"peristiwa #{expected_seq} hilang (terhapus)")
        if event.prev_hash != prev_hash:
            return ChainReport(False, checked, event.seq, "tautan ke peristiwa sebelumnya tidak cocok")
        if not hmac.compare_digest(event.hash, compute_event_hash(event)):
            return ChainReport(False, checked, event.seq, "isi peristiwa telah diubah atau disisipkan")
        expected_seq, prev_hash, checked = expected_seq + 1, event.hash, checked + 1
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (checked, prev_hash):
        broken = min(head_seq, checked) + 1
        return ChainReport(
            False, checked, broken, "ujung rantai tidak cocok: peristiwa terakhir dihapus atau disisipkan"
        )
    return ChainReport(True, checked)
