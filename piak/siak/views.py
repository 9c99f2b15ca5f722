"""SOP 2's forms on the case page: step 5's prepared material, step 7's maintenance entries and manual
links (thin: the services decide)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from piak.core.errors import DomainError
from piak.sop.models import Case

from . import services
from .forms import UjiImporForm
from .models import CatatanKerja


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _back(case: Case):
    return redirect("sop:case", pk=case.pk)


@login_required
@require_POST
def pemeliharaan(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    data = request.POST
    try:
        services.pemeliharaan_catat(
            case=case,
            step_run_id=_int(data.get("langkah_id")),
            user=request.user,
            jenis=data.get("jenis", ""),
            uraian=data.get("uraian", ""),
            perangkat=data.get("perangkat", ""),
            hasil=data.get("hasil", ""),
            menit=_int(data.get("menit")),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Pemeliharaan dicatat.")
    return _back(case)


@login_required
@require_POST
def tautkan(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    jenis, _, object_id = request.POST.get("objek", "").partition(":")
    try:
        services.kerja_tautkan(
            case=case,
            step_run_id=_int(request.POST.get("langkah_id")),
            user=request.user,
            jenis=jenis,
            object_id=_int(object_id),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Pekerjaan ditautkan ke berkas ini.")
    return _back(case)


@login_required
@require_POST
def lepas(request, pk: int, catatan_pk: int):
    catatan = get_object_or_404(CatatanKerja, pk=catatan_pk, case_id=pk, cara=CatatanKerja.Cara.MANUAL)
    try:
        services.kerja_lepas(catatan=catatan, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Tautan dilepas.")
    return _back(catatan.case)


@login_required
@require_POST
def penyiapan(request, pk: int, jenis: str):
    """Attach what step 5 prepared: a frozen data-quality run, a dry-run import of an export, or a list."""
    case = get_object_or_404(Case, pk=pk)
    arguments = {"case": case, "step_run_id": _int(request.POST.get("langkah_id")), "user": request.user}
    try:
        if jenis == "kualitas-data":
            services.bahan_kualitas_data(**arguments)
        elif jenis == "uji-impor":
            form = UjiImporForm(request.POST, request.FILES)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return _back(case)
            services.bahan_uji_impor(**arguments, upload=form.cleaned_data["berkas"], encoding=form.encoding())
        elif jenis == "daftar-koreksi":
            services.bahan_daftar_koreksi(**arguments, catatan=request.POST.get("catatan", ""))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Bahan penyiapan data dilampirkan pada berkas.")
    return _back(case)
