"""What an SOP's steps need beyond the engine, registered by the app that owns the SOP's work.

The engine (this package) knows cases, steps, documents, time and audit only. The app that owns an SOP's
work (SOP 1: `naskah`, SOP 2: `siak`, SOP 3: `tik`) subclasses `SopHandler`, overrides the hooks it needs
and calls `register(...)` from its AppConfig.ready(). Every hook runs inside the engine's transaction with
the case row locked, so a hook that raises a DomainError refuses the whole action and changes nothing.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    """A part of the case page (or of the Lembar Kendali PDF) drawn by the owning app's template."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityKind:
    """A kind of work-plan activity (rencana kerja) an SOP offers, e.g. "impor" for an import of a SIAK
    export; `satuan` names what its target counts."""

    kode: str
    label: str
    satuan: str = "kegiatan"


class SopHandler:
    """The default: a step needs nothing beyond its checklist and attachment, a case nothing beyond its
    document. Subclasses set `kode` and override hooks."""

    kode: str = ""
    # Kinds of work-plan activity this SOP's plan may name; empty: activities are free text only.
    activity_kinds: tuple[ActivityKind, ...] = ()

    def step_complete_check(self, *, run, step, user) -> None:
        """Raise a DomainError when the step's work is missing (e.g. step 5 without a data report)."""

    def step_completed(self, *, run, step, user) -> None:
        """After a work step is done, before the case advances (e.g. SOP 1 delivers and archives)."""

    def step_approved(self, *, run, step, user, kind: str, document_hash: str, passphrase: str) -> None:
        """After a paraf or signature is accepted, before the case advances (e.g. SOP 1 signs its letter)."""

    def case_cancel_check(self, *, case) -> None:
        """Raise a DomainError when the case may not be cancelled any more."""

    def case_cancelled(self, *, case, user, reason: str) -> None:
        """After a cancel (e.g. SOP 1 voids its draft letter)."""

    def document_revision(self, *, case):
        """The next document version the owning app supplies itself, as (upload, author), or None when the
        user uploads it."""
        return None

    def case_panels(self, *, case, user) -> list[Panel]:
        """Extra parts of the case page: what was prepared, the work log, the letter."""
        return []

    def lembar_panels(self, *, case) -> list[Panel]:
        """Extra parts of the printed Lembar Kendali (e.g. SOP 2's work log and its totals)."""
        return []


_DEFAULT = SopHandler()
_HANDLERS: dict[str, SopHandler] = {}


def register(handler: SopHandler) -> None:
    if not handler.kode:
        raise ValueError("A SopHandler needs the SOP code it serves.")
    _HANDLERS[handler.kode] = handler


def handler_for(kode: str) -> SopHandler:
    return _HANDLERS.get(kode, _DEFAULT)


def activity_kinds(kode: str) -> dict[str, ActivityKind]:
    return {kind.kode: kind for kind in handler_for(kode).activity_kinds}
