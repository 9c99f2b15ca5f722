"""What SOP 1's steps need, registered with the engine (piak.sop.handlers): the case's document is the
Surat Pengantar; its signature step signs the letter, its last step needs the letter delivered and archives
it, and a cancel voids a draft. Also the two ways SOP 1 starts: from a drafted letter or from a data request.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from piak.core.errors import DomainError, ValidationFailed
from piak.core.models import User
from piak.sop import services as sop_services
from piak.sop.handlers import Panel, SopHandler, StartElsewhere
from piak.sop.models import Case, SopVersion

from .models import Naskah, NaskahVersi, PermintaanData
from .services import (
    BerkasLampiran,
    SnapshotRef,
    counts_passphrase_failures,
    naskah_archive,
    naskah_draft,
    naskah_draft_void,
    naskah_sign,
)

SOP_LAPORAN = "sop-1"
DELIVERED = {Naskah.Status.DIKIRIM, Naskah.Status.DITERIMA, Naskah.Status.DIARSIPKAN}


def case_letter(case: Case) -> Naskah | None:
    """The Surat Pengantar a case runs, if any (cases started before the letter existed have none)."""
    return Naskah.objects.filter(case=case).first()


def _final_letter(naskah: Naskah) -> NaskahVersi | None:
    """The signed Surat Pengantar: once it exists it is the case's final document, not the last draft."""
    return naskah.versi.filter(jenis=NaskahVersi.Jenis.FINAL).order_by("-nomor_versi").first()


def _draft_file(naskah: Naskah) -> ContentFile:
    draft = naskah.versi_terakhir
    with draft.berkas.open("rb") as handle:
        return ContentFile(handle.read(), name=f"surat-pengantar-draf-v{draft.nomor_versi}.pdf")


class Sop1Handler(SopHandler):
    kode = SOP_LAPORAN
    start_elsewhere = StartElsewhere(
        label="Mulai dari Permintaan Data",
        url_name="naskah:permintaan_list",
        message="SOP 1 dimulai dari Permintaan Data: buka permintaan instansi, lalu susun laporannya.",
    )
    supplied_labels = ("Ambil draf surat terbaru", "Ambil draf terbaru")

    def supplies_document(self, *, case) -> bool:
        return case_letter(case) is not None

    def document_revision(self, *, case):
        """A letter's corrections are made on the letter (a new draft version); the case takes that version."""
        naskah = case_letter(case)
        if naskah is None:
            return None
        if case.documents.filter(sha256=naskah.versi_terakhir.sha256).exists():
            raise ValidationFailed(
                "Belum ada versi baru surat. Perbaiki draf Surat Pengantar dulu, lalu ambil versinya di sini.",
                code="sop_naskah_unchanged",
            )
        return _draft_file(naskah), naskah.versi_terakhir.dibuat_oleh

    def step_complete_check(self, *, run, step, user) -> None:
        """SOP 1 ends when the letter has reached the agency."""
        naskah = case_letter(run.case)
        if naskah is None or run.case.versi.definition.next_step(step.no) is not None:
            return
        if naskah.status not in DELIVERED:
            raise ValidationFailed(
                "Surat belum dikirim ke instansi. Kirim lewat surel atau tautan unduhan di halaman surat.",
                code="sop_naskah_not_sent",
            )

    def step_completed(self, *, run, step, user) -> None:
        """The delivered letter is archived with its audit trail as the last step closes."""
        naskah = case_letter(run.case)
        if naskah is None or run.case.versi.definition.next_step(step.no) is not None:
            return
        if naskah.status != Naskah.Status.DIARSIPKAN:
            naskah_archive(naskah=naskah, by=user)

    def signing(self, call):
        # A wrong passphrase rolls the signing transaction back; the failure is counted outside it.
        return counts_passphrase_failures(call)()

    def step_approved(self, *, run, step, user, kind: str, document_hash: str, passphrase: str) -> None:
        if kind != "tanda_tangan":
            return
        naskah = case_letter(run.case)
        if naskah is None:
            super().step_approved(
                run=run, step=step, user=user, kind=kind, document_hash=document_hash, passphrase=passphrase
            )
            return
        # Number, render and sign the Surat Pengantar in the same transaction as the step.
        naskah_sign(naskah=naskah, by=user, passphrase=passphrase, expected_sha256=document_hash)

    def case_cancel_check(self, *, case) -> None:
        naskah = case_letter(case)
        if naskah is not None and naskah.status not in (Naskah.Status.DRAF, Naskah.Status.DICABUT):
            raise DomainError(
                f"Surat {naskah.nomor} sudah ditandatangani. Berkas baru dapat dibatalkan setelah surat itu "
                "dicabut oleh Kepala Dinas di halaman surat.",
                code="sop_cancel_signed_letter",
            )

    def case_cancelled(self, *, case, user, reason: str) -> None:
        naskah = case_letter(case)
        if naskah is not None and naskah.status == Naskah.Status.DRAF:
            naskah_draft_void(naskah=naskah, by=user, alasan=f"Berkas SOP 1 dibatalkan: {reason}")

    def case_panels(self, *, case, user) -> list[Panel]:
        naskah = case_letter(case)
        if naskah is None:
            return []
        return [Panel("naskah/_sop_case_surat.html", {"naskah": naskah, "final": _final_letter(naskah)})]

    def action_help(self, *, case) -> dict[str, Panel]:
        naskah = case_letter(case)
        if naskah is None:
            return {}
        return {
            "tanda_tangan": Panel("naskah/_sop_sign_help.html"),
            "dokumen": Panel("naskah/_sop_document_help.html", {"naskah": naskah}),
        }


def _latest_version(kode: str) -> SopVersion:
    return SopVersion.objects.filter(kode=kode).order_by("-nomor_versi").first()


@transaction.atomic
def case_start_for_naskah(*, naskah: Naskah, user: User) -> Case:
    """Start SOP 1 for a drafted Surat Pengantar: the draft letter (with the report attached) is the
    document every paraf and the signature are bound to."""
    naskah = Naskah.objects.select_for_update().get(pk=naskah.pk)
    if naskah.status != Naskah.Status.DRAF:
        raise DomainError("Hanya draf surat yang dapat dimulai dalam SOP 1.", code="sop_naskah_not_draft")
    if naskah.case_id is not None:
        raise DomainError("Surat ini sudah berjalan dalam SOP 1.", code="sop_naskah_has_case")
    case = sop_services.case_open(
        versi=_latest_version(SOP_LAPORAN),
        user=user,
        judul=f"{naskah.perihal} — {naskah.permintaan.instansi}",
        upload=_draft_file(naskah),
        author=naskah.versi_terakhir.dibuat_oleh,
    )
    naskah.case = case
    naskah.save(update_fields=["case"])
    return case


def _snapshot_for(permintaan: PermintaanData, user: User, chosen, new_snapshot: bool):
    """The snapshot the report is computed from (reports never read live data): the Kasi's choice, checked
    against the request; a new one frozen from the register; by default the newest register snapshot at the
    requested date, frozen now if there is none. Synthetic snapshots are never picked nor accepted."""
    from piak.statistik.selectors import real_snapshots_at
    from piak.statistik.services import snapshot_freeze_register

    cutoff = permintaan.tanggal_data
    if chosen is not None and new_snapshot:
        raise ValidationFailed(
            "Pilih satu: snapshot yang ada atau bekukan snapshot baru.", code="sop_snapshot_ambiguous"
        )
    if chosen is not None:
        if chosen.sintetis:
            raise DomainError(
                f"{chosen} berisi data sintetis (demo) dan tidak dapat dipakai untuk permintaan data.",
                code="sop_snapshot_synthetic",
            )
        if chosen.tanggal_potong != cutoff:
            raise ValidationFailed(
                f"{chosen} bertanggal potong {chosen.tanggal_potong:%d-%m-%Y}, sedangkan permintaan meminta data "
                f"per {cutoff:%d-%m-%Y}. Pilih snapshot pada tanggal itu.",
                code="sop_snapshot_wrong_date",
            )
        return chosen
    existing = None if new_snapshot else real_snapshots_at(cutoff).first()
    return existing or snapshot_freeze_register(cutoff=cutoff, by=user)


def running_case_for_request(permintaan: PermintaanData) -> Case | None:
    return Case.objects.filter(naskah__permintaan=permintaan, status=Case.Status.BERJALAN).first()


@transaction.atomic
def case_start_for_request(
    *, permintaan: PermintaanData, user: User, snapshot=None, new_snapshot: bool = False
) -> Case:
    """SOP 1 step 1 in minutes: take the chosen snapshot (or the newest at the requested date, or freeze a
    new one from the register), compute the report of the requested tables as PDF and XLSX, draft the Surat
    Pengantar citing the snapshot with both attached, and start the case.

    One request has at most one running case: the request row is locked, and pressing start again (or
    twice at once) returns the case already running. After a cancellation the request may start again."""
    from piak.statistik.report import report_pdf, report_xlsx

    sop_services.case_starter_check(versi=_latest_version(SOP_LAPORAN), user=user, action="memulai SOP 1")
    permintaan = PermintaanData.objects.select_for_update().get(pk=permintaan.pk)
    if (running := running_case_for_request(permintaan)) is not None:
        return running
    snapshot = _snapshot_for(permintaan, user, snapshot, new_snapshot)
    tables = permintaan.tabel_diminta
    stem = f"laporan-penduduk-{snapshot.tanggal_potong:%Y-%m-%d}"
    title = f"Laporan Data Kependudukan per {snapshot.tanggal_potong:%d-%m-%Y}, tabel {', '.join(sorted(tables))}"
    naskah = naskah_draft(
        permintaan=permintaan,
        by=user,
        snapshot=SnapshotRef(
            ref=f"SNAPSHOT-{snapshot.pk}",
            tanggal=snapshot.tanggal_potong,
            baris=snapshot.jumlah_baris,
            sha256=snapshot.sha256,
            sintetis=snapshot.sintetis,
        ),
        lampiran=[
            BerkasLampiran(
                nama=f"{stem}.pdf",
                judul=title,
                content=report_pdf(snapshot, tables),
                content_type="application/pdf",
            ),
            BerkasLampiran(
                nama=f"{stem}.xlsx",
                judul=f"{title} (XLSX)",
                content=report_xlsx(snapshot, tables),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ],
    )
    return case_start_for_naskah(naskah=naskah, user=user)
