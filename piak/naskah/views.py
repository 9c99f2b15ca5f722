"""Office pages for data requests and letters. Every write calls a service; a refusal or a mistake
becomes a message on the page, never an error page."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from piak.core import roles
from piak.core.errors import DomainError
from piak.core.permissions import permission_required, user_may
from piak.core.selectors import holding_for
from piak.sop.views import piak_staff_required
from piak.web.params import int_param

from . import selectors, services, sop_steps
from .forms import (
    ArsipForm,
    BatalForm,
    BlokForm,
    CabutForm,
    DrafForm,
    KirimSurelForm,
    KirimTautanForm,
    MulaiSop1Form,
    PakaiForm,
    PassphraseForm,
    PermintaanForm,
    RevisiForm,
    TerimaPetugasForm,
)
from .models import ArsipBerkas, Lampiran, Naskah, NomorCadangan, Pengiriman, PermintaanData, SigningPassphrase
from .permissions import (
    NASKAH_ARSIP,
    NASKAH_CABUT,
    NASKAH_KIRIM,
    NASKAH_LIHAT,
    NASKAH_SUSUN,
    NOMOR_CADANGAN,
    PASSPHRASE_ATUR,
    PERMINTAAN_CATAT,
)
from .verification import stored_letter_check


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; show its domain error as a message instead of failing the request."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def _form_action(request: HttpRequest, form_class, action: Callable[[dict], object], success: str) -> None:
    """Validate the posted form, then pass its cleaned data to `action` (a service call)."""
    form = form_class(request.POST)
    if form.is_valid():
        _attempt(request, lambda: action(form.cleaned_data), success)
    else:
        _form_errors(request, form)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _file_response(field_file, filename: str, content_type: str) -> FileResponse:
    return FileResponse(field_file.open("rb"), content_type=content_type, filename=filename)


# --- data requests ---------------------------------------------------------------------------------


@permission_required(NASKAH_LIHAT)
def permintaan_list(request):
    return render(
        request,
        "naskah/permintaan_list.html",
        {"permintaan": selectors.permintaan_list(), "may_create": user_may(request.user, PERMINTAAN_CATAT)},
    )


@permission_required(PERMINTAAN_CATAT)
def permintaan_create(request):
    form = PermintaanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            permintaan = services.permintaan_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Permintaan data dari {permintaan.instansi} dicatat.")
            return redirect("naskah:permintaan_detail", pk=permintaan.pk)
    return render(request, "naskah/permintaan_form.html", {"form": form})


@permission_required(NASKAH_LIHAT)
def permintaan_detail(request, pk: int):
    permintaan = get_object_or_404(PermintaanData.objects.select_related("dibuat_oleh"), pk=pk)
    may_draft = user_may(request.user, NASKAH_SUSUN)
    return render(
        request,
        "naskah/permintaan_detail.html",
        {
            "permintaan": permintaan,
            "naskah_list": permintaan.naskah.all(),
            "draft_form": DrafForm(initial={"snapshot_tanggal": permintaan.tanggal_data}) if may_draft else None,
            "start_form": MulaiSop1Form(permintaan=permintaan) if may_draft else None,
        },
    )


def _uploaded_attachments(form: DrafForm) -> list[services.BerkasLampiran]:
    titles = {
        "laporan_pdf": ("Laporan Data Kependudukan (PDF)", "application/pdf"),
        "laporan_xlsx": (
            "Laporan Data Kependudukan (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
    return [
        services.BerkasLampiran(nama=upload.name, judul=title, content=upload.read(), content_type=content_type)
        for name, (title, content_type) in titles.items()
        if (upload := form.cleaned_data.get(name))
    ]


@require_POST
@permission_required(NASKAH_SUSUN)
def naskah_draft(request, pk: int):
    permintaan = get_object_or_404(PermintaanData, pk=pk)
    form = DrafForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("naskah:permintaan_detail", pk=pk)
    data = form.cleaned_data
    try:
        naskah = services.naskah_draft(
            permintaan=permintaan,
            by=request.user,
            snapshot=services.SnapshotRef(
                ref=data["snapshot_ref"],
                tanggal=data["snapshot_tanggal"],
                baris=data["snapshot_baris"],
                sha256=data["snapshot_sha256"],
            ),
            lampiran=_uploaded_attachments(form),
            perihal=data["perihal"],
            sifat=data["sifat"],
            tembusan=data["tembusan"].splitlines(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("naskah:permintaan_detail", pk=pk)
    messages.success(request, "Draf Surat Pengantar disusun.")
    return redirect("naskah:naskah_detail", pk=naskah.pk)


# --- letters ---------------------------------------------------------------------------------------


@permission_required(NASKAH_LIHAT)
def naskah_detail(request, pk: int):
    naskah = get_object_or_404(
        Naskah.objects.select_related("permintaan", "penyusun", "penandatangan", "dicabut_oleh", "dibatalkan_oleh"),
        pk=pk,
    )
    user = request.user
    signed = bool(naskah.nomor)
    seen = {"terlihat": selectors.naskah_seen_seq(naskah)}
    context = {
        "naskah": naskah,
        "versi": naskah.versi.select_related("dibuat_oleh").order_by("-nomor_versi"),
        "versi_terakhir": naskah.versi_terakhir,
        "lampiran": naskah.lampiran.filter(aktif=True),
        "pengiriman": [(p, services.download_url(p), selectors.link_expired(p)) for p in naskah.pengiriman.all()],
        "arsip": getattr(naskah, "arsip", None),
        # Signing happens at step 5 of the letter's SOP 1 case, after the paraf chain.
        "case": naskah.case,
        "revisi_form": RevisiForm.for_letter(naskah)
        if naskah.status == Naskah.Status.DRAF and user_may(user, NASKAH_SUSUN)
        else None,
        "may_start_sop": naskah.status == Naskah.Status.DRAF
        and naskah.case_id is None
        and user_may(user, NASKAH_SUSUN),
        "may_send": naskah.status in (Naskah.Status.DITANDATANGANI, Naskah.Status.DIKIRIM, Naskah.Status.DITERIMA)
        and user_may(user, NASKAH_KIRIM),
        "may_archive": naskah.status in (Naskah.Status.DIKIRIM, Naskah.Status.DITERIMA)
        and user_may(user, NASKAH_ARSIP),
        "signature": stored_letter_check(naskah) if signed else None,
        "verification_url": services.verification_url(naskah.token_verifikasi) if signed else "",
        # Only the Kepala Dinas holding the office today (definitive, Plt. or Plh.) withdraws a letter.
        "cabut_form": CabutForm(initial=seen)
        if naskah.status in Naskah.SIGNED and holding_for(user=user, role=roles.KEPALA_DINAS, on=timezone.localdate())
        else None,
        "seen": seen["terlihat"],
        "surel_form": KirimSurelForm(initial={"kepada": naskah.permintaan.email_kontak, **seen}),
        "tautan_form": KirimTautanForm(initial=seen),
        "arsip_form": ArsipForm(initial=seen),
    }
    return render(request, "naskah/naskah_detail.html", context)


@permission_required(NASKAH_LIHAT)
def naskah_version_file(request, pk: int, nomor_versi: int):
    naskah = get_object_or_404(Naskah, pk=pk)
    versi = get_object_or_404(naskah.versi, nomor_versi=nomor_versi)
    name = (naskah.nomor or f"draf-{naskah.pk}").replace("/", "-")
    return _file_response(versi.berkas, f"Surat-Pengantar-{name}-v{nomor_versi}.pdf", "application/pdf")


@permission_required(NASKAH_LIHAT)
def lampiran_file(request, pk: int, lampiran_pk: int):
    lampiran = get_object_or_404(Lampiran, pk=lampiran_pk, naskah_id=pk)
    return _file_response(lampiran.berkas, lampiran.nama, lampiran.content_type)


def _posted_form_view(*, permission: str, model, form_class, call, success: str, back: Callable[[object], str]):
    """A POST-only view: find the object, validate the form, call the service, go back to `back(obj)`."""

    @require_POST
    @permission_required(permission)
    def view(request, pk: int):
        obj = get_object_or_404(model, pk=pk)
        _form_action(request, form_class, lambda data: call(obj, request.user, data), success)
        return redirect(back(obj))

    return view


def _letter_page(naskah: Naskah) -> str:
    return reverse("naskah:naskah_detail", args=[naskah.pk])


naskah_revise = _posted_form_view(
    permission=NASKAH_SUSUN,
    model=Naskah,
    form_class=RevisiForm,
    call=lambda naskah, user, data: services.naskah_revise(
        naskah=naskah,
        by=user,
        perihal=data["perihal"],
        sifat=data["sifat"],
        tembusan=data["tembusan"].splitlines(),
        expected_sha256=data["versi_sha256"],
    ),
    success="Draf baru Surat Pengantar disusun.",
    back=_letter_page,
)
naskah_send_email = _posted_form_view(
    permission=NASKAH_KIRIM,
    model=Naskah,
    form_class=KirimSurelForm,
    call=lambda naskah, user, data: services.naskah_send_email(
        naskah=naskah, by=user, kepada=data["kepada"], tautan_unduh=data["tautan_unduh"], expected_seq=data["terlihat"]
    ),
    success="Surat dikirim lewat surel.",
    back=_letter_page,
)
naskah_send_link = _posted_form_view(
    permission=NASKAH_KIRIM,
    model=Naskah,
    form_class=KirimTautanForm,
    call=lambda naskah, user, data: services.naskah_send_link(
        naskah=naskah, by=user, berlaku_hari=data["berlaku_hari"], expected_seq=data["terlihat"]
    ),
    success="Tautan unduh dibuat. Salin tautannya dari daftar pengiriman dan sampaikan ke instansi.",
    back=_letter_page,
)
pengiriman_acknowledge = _posted_form_view(
    permission=NASKAH_KIRIM,
    model=Pengiriman,
    form_class=TerimaPetugasForm,
    call=lambda pengiriman, user, data: services.pengiriman_acknowledge(
        pengiriman=pengiriman,
        by=user,
        nama_penerima=data["nama_penerima"],
        catatan=data["catatan"],
        expected_seq=data["terlihat"],
    ),
    success="Penerimaan oleh instansi dicatat.",
    back=lambda pengiriman: _letter_page(pengiriman.naskah),
)


naskah_archive = _posted_form_view(
    permission=NASKAH_ARSIP,
    model=Naskah,
    form_class=ArsipForm,
    call=lambda naskah, user, data: services.naskah_archive(naskah=naskah, by=user, expected_seq=data["terlihat"]),
    success="Naskah diarsipkan.",
    back=_letter_page,
)
naskah_withdraw = _posted_form_view(
    permission=NASKAH_CABUT,
    model=Naskah,
    form_class=CabutForm,
    call=lambda naskah, user, data: services.naskah_withdraw(
        naskah=naskah, by=user, alasan=data["alasan"], expected_seq=data["terlihat"]
    ),
    success="Surat dicabut. Halaman verifikasi publik kini menyatakan surat ini DICABUT.",
    back=_letter_page,
)


@permission_required(PASSPHRASE_ATUR)
def passphrase(request):
    """Set the signing passphrase on first use, or change it with the old one."""
    record = SigningPassphrase.objects.filter(user=request.user).first()
    form = PassphraseForm(request.POST or None, changing=record is not None)
    if request.method == "POST" and form.is_valid():
        try:
            services.passphrase_set(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Passphrase penandatanganan tersimpan.")
            return redirect("naskah:passphrase")
    return render(
        request, "naskah/passphrase.html", {"form": form, "record": record, "batas": services.PASSPHRASE_TRIES}
    )


@permission_required(NASKAH_LIHAT)
def archive_file(request, pk: int):
    berkas = get_object_or_404(ArsipBerkas, pk=pk)
    content_type = "application/json" if berkas.nama.endswith(".json") else "application/pdf"
    if berkas.peran == ArsipBerkas.Peran.LAMPIRAN:
        content_type = "application/octet-stream"
    return _file_response(berkas.berkas, berkas.nama, content_type)


@permission_required(NASKAH_LIHAT)
def register(request):
    return render(request, "naskah/register.html", {"naskah_list": selectors.sent_letters()})


# --- numbers -----------------------------------------------------------------------------------------


@permission_required(NASKAH_LIHAT)
def numbers(request):
    year = int_param(request.GET, "tahun", timezone.localdate().year)
    may_manage = user_may(request.user, NOMOR_CADANGAN)
    return render(
        request,
        "naskah/nomor.html",
        {
            "tahun": year,
            "counters": selectors.counters(),
            "ledger": selectors.number_ledger(year),
            "gaps": selectors.number_gaps(year),
            "reserved": NomorCadangan.objects.filter(tahun=year).select_related("blok", "blok__dipesan_oleh"),
            "may_manage": may_manage,
            "blok_form": BlokForm(),
            "pakai_form": PakaiForm(initial={"tanggal_surat": timezone.localdate()}),
            "batal_form": BatalForm(),
        },
    )


@require_POST
@permission_required(NOMOR_CADANGAN)
def number_block_reserve(request):
    _form_action(
        request,
        BlokForm,
        lambda data: services.nomor_block_reserve(by=request.user, **data),
        "Blok nomor dipesan. Catat setiap nomor yang dipakai surat kertas atau batalkan yang tidak terpakai.",
    )
    return redirect("naskah:nomor")


number_reserved_use = _posted_form_view(
    permission=NOMOR_CADANGAN,
    model=NomorCadangan,
    form_class=PakaiForm,
    call=lambda nomor, user, data: services.nomor_reserved_use(
        nomor=nomor,
        by=user,
        perihal=data["perihal"],
        tujuan=data["tujuan"],
        tanggal_surat=data["tanggal_surat"],
        expected_status=data["terlihat"],
    ),
    success="Nomor dicatat sebagai dipakai.",
    back=lambda nomor: reverse("naskah:nomor"),
)
number_reserved_void = _posted_form_view(
    permission=NOMOR_CADANGAN,
    model=NomorCadangan,
    form_class=BatalForm,
    call=lambda nomor, user, data: services.nomor_reserved_void(
        nomor=nomor, by=user, alasan=data["alasan"], expected_status=data["terlihat"]
    ),
    success="Nomor dibatalkan.",
    back=lambda nomor: reverse("naskah:nomor"),
)


# --- starting SOP 1 -------------------------------------------------------------------------------


def _start_sop1(request, start, back: str, pk: int):
    try:
        case = start()
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back, pk=pk)
    messages.success(request, "SOP 1 dimulai. Periksa draf lalu selesaikan langkah 1 untuk meneruskannya ke Kabid.")
    return redirect("sop:case", pk=case.pk)


@require_POST
@piak_staff_required
def start_for_naskah(request, pk):
    naskah = get_object_or_404(Naskah, pk=pk)
    start = partial(sop_steps.case_start_for_naskah, naskah=naskah, user=request.user)
    return _start_sop1(request, start, "naskah:naskah_detail", pk)


@require_POST
@piak_staff_required
def start_for_request(request, pk):
    permintaan = get_object_or_404(PermintaanData, pk=pk)
    if (running := sop_steps.running_case_for_request(permintaan)) is not None:
        # A second press, a second tab: open the case instead of starting another.
        messages.info(request, "Berkas SOP 1 untuk permintaan ini sudah berjalan.")
        return redirect("sop:case", pk=running.pk)
    form = MulaiSop1Form(request.POST, permintaan=permintaan)
    if not form.is_valid():
        for error in form.errors.get("snapshot", []):
            messages.error(request, error)
        return redirect("naskah:permintaan_detail", pk=pk)
    start = partial(
        sop_steps.case_start_for_request, permintaan=permintaan, user=request.user, **form.service_arguments()
    )
    return _start_sop1(request, start, "naskah:permintaan_detail", pk)
