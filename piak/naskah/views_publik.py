"""Pages for agencies and anyone holding a letter: verification, download, acknowledgement."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from piak.core.errors import DomainError
from piak.web.uploads import upload_limit

from . import selectors, services
from .forms import VERIFICATION_UPLOAD, TerimaForm, UnggahForm
from .letter import tanggal_indonesia
from .verification import stored_letter_check, uploaded_letter_check


@upload_limit(VERIFICATION_UPLOAD)
def verification(request, token: str):
    naskah = selectors.naskah_by_token(token)
    if naskah is None:
        return render(request, "naskah/publik/verifikasi_tidak_dikenal.html", status=404)
    posted = request.method == "POST"
    form = UnggahForm(request.POST, request.FILES) if posted else UnggahForm()
    verdict = None
    if posted and form.is_valid():
        verdict = uploaded_letter_check(naskah, form.cleaned_data["berkas"].read())
    return render(
        request,
        "naskah/publik/verifikasi.html",
        {
            "naskah": naskah,
            "tanggal": tanggal_indonesia(naskah.tanggal),
            "tanggal_cabut": tanggal_indonesia(timezone.localtime(naskah.dicabut_pada).date())
            if naskah.dicabut_pada
            else "",
            "versi": selectors.signed_version(naskah),
            "signature": stored_letter_check(naskah),
            "form": form,
            "verdict": verdict,
        },
    )


def _delivery_or_404(token: str):
    pengiriman = selectors.pengiriman_by_token(token)
    if pengiriman is None:
        raise Http404("tautan tidak dikenal")
    return pengiriman


def download_page(request, token: str):
    pengiriman = _delivery_or_404(token)
    naskah = pengiriman.naskah
    return render(
        request,
        "naskah/publik/unduh.html",
        {
            "pengiriman": pengiriman,
            "naskah": naskah,
            "token": token,
            "tanggal": tanggal_indonesia(naskah.tanggal),
            "expired": selectors.link_expired(pengiriman),
            "lampiran": naskah.lampiran.filter(aktif=True),
            "verification_url": services.verification_url(naskah.token_verifikasi),
            "form": TerimaForm(),
        },
    )


def download_file(request, token: str, index: int):
    pengiriman = _delivery_or_404(token)
    naskah = pengiriman.naskah
    if not pengiriman.tautan_unduh or selectors.link_expired(pengiriman) or naskah.status == naskah.Status.DICABUT:
        raise Http404("tautan unduh tidak berlaku")
    if index == 0:
        versi = selectors.signed_version(naskah)
        filename = "Surat-Pengantar-" + naskah.nomor.replace("/", "-") + ".pdf"
        return FileResponse(versi.berkas.open("rb"), content_type="application/pdf", filename=filename)
    lampiran = naskah.lampiran.filter(aktif=True, urutan=index).first()
    if lampiran is None:
        raise Http404("berkas tidak ada")
    return FileResponse(lampiran.berkas.open("rb"), content_type=lampiran.content_type, filename=lampiran.nama)


@require_POST
def acknowledge(request, token: str):
    pengiriman = _delivery_or_404(token)
    form = TerimaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi nama penerima untuk mengonfirmasi penerimaan.")
    elif selectors.link_expired(pengiriman):
        messages.error(request, "Tautan sudah kedaluwarsa. Hubungi Disdukcapil Kota Palembang untuk konfirmasi.")
    else:
        try:
            services.pengiriman_acknowledge(pengiriman=pengiriman, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Terima kasih. Penerimaan surat telah dicatat.")
    return redirect("naskah_publik:unduh", token=token)
