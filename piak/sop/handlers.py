"""What an SOP's steps need beyond the engine, registered by the app that owns the SOP's work.

The engine (this package) knows cases, steps, documents, time and audit only. The app that owns an SOP's
work (SOP 1: `naskah`, SOP 2: `siak`, SOP 3: `tik`) subclasses `SopHandler`, overrides the hooks it needs
and calls `register(...)` from its AppConfig.ready(). Every hook runs inside the engine's transaction with
the case row locked, so a hook that raises a DomainError refuses the whole action and changes nothing.
"""

from dataclasses import dataclass, field

from piak.core.errors import DomainError


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


@dataclass(frozen=True)
class StartElsewhere:
    """Where an SOP's cases start instead of "Mulai berkas": the button's label, the page's URL name and
    what "Mulai berkas" says when followed anyway."""

    label: str
    url_name: str
    message: str


class SopHandler:
    """The default: a step needs nothing beyond its checklist and attachment, a case nothing beyond its
    document. Subclasses set `kode` and override hooks."""

    kode: str = ""
    # Kinds of work-plan activity this SOP's plan may name; empty: activities are free text only.
    activity_kinds: tuple[ActivityKind, ...] = ()
    # Set when the SOP's cases start from the owning app's pages instead of "Mulai berkas".
    start_elsewhere: "StartElsewhere | None" = None
    # The heading and button of the form that takes the newest supplied document (see supplies_document).
    supplied_labels: tuple[str, str] = ("Ambil versi terbaru dokumen", "Ambil versi terbaru")

    def step_complete_check(self, *, run, step, user) -> None:
        """Raise a DomainError when the step's work is missing (e.g. step 5 without a data report)."""

    def step_completed(self, *, run, step, user) -> None:
        """After a work step is done, before the case advances (e.g. SOP 1 delivers and archives)."""

    def step_approved(self, *, run, step, user, kind: str, document_hash: str, passphrase: str) -> None:
        """After a paraf or signature is accepted, before the case advances (e.g. SOP 1 signs its letter).
        A signature step completes only with an electronic signature on a document the SOP's app owns."""
        if kind == "tanda_tangan":
            raise DomainError(
                "Langkah tanda tangan hanya selesai dengan tanda tangan elektronik pada dokumen yang "
                "ditandatangani, dan berkas ini tidak memuat dokumen itu.",
                code="sop_sign_needs_letter",
            )

    def signing(self, call):
        """Run a signature step (`call`); an app whose signing can fail after a rollback wraps it here."""
        return call()

    def case_cancel_check(self, *, case) -> None:
        """Raise a DomainError when the case may not be cancelled any more."""

    def case_cancelled(self, *, case, user, reason: str) -> None:
        """After a cancel (e.g. SOP 1 voids its draft letter)."""

    def supplies_document(self, *, case) -> bool:
        """Whether the owning app supplies the case's document (SOP 1: the letter's newest draft), so the
        case page offers to take its newest version instead of an upload."""
        return False

    def document_revision(self, *, case):
        """The next document version the owning app supplies itself, as (upload, author), or None when the
        user uploads it."""
        return None

    def case_panels(self, *, case, user) -> list[Panel]:
        """Extra parts of the case page: what was prepared, the work log, the letter."""
        return []

    def action_help(self, *, case) -> dict[str, Panel]:
        """A note shown in an action's form, by action (e.g. SOP 1: where to set the signing passphrase)."""
        return {}

    def lembar_panels(self, *, case) -> list[Panel]:
        """Extra parts of the printed Lembar Kendali (e.g. SOP 2's work log and its totals)."""
        return []


_DEFAULT = SopHandler()
_HANDLERS: dict[str, SopHandler] = {}


def register(handler: SopHandler) -> None:
    if not handler.kode:
        raise ValueError("A SopHandler needs the SOP code it serves.")
    if handler.kode in _HANDLERS:
        raise ValueError(f"SOP {handler.kode} already has a handler: {_HANDLERS[handler.kode]!r}.")
    _HANDLERS[handler.kode] = handler


def handler_for(kode: str) -> SopHandler:
    return _HANDLERS.get(kode, _DEFAULT)


def activity_kinds(kode: str) -> dict[str, ActivityKind]:
    return {kind.kode: kind for kind in handler_for(kode).activity_kinds}
