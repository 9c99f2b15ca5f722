import uuid
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from piak.core.errors import DomainError
from piak.core.permissions import permission_required, user_may

from . import selectors, services
from .forms import ImporForm, KelahiranForm, KematianForm, PindahKeluarForm, PindahMasukForm
from .models import AksesDataPribadi, Impor, Keluarga, KodeReferensi, Penduduk, StatusPenduduk
from .permissions import (
    CATAT_PERISTIWA,
    IMPOR_PENDUDUK,
    LIHAT_DATA_PRIBADI,
    LIHAT_LOG_AKSES,
    LIHAT_REGISTER,
    PERIKSA_DATA,
    actor_for,
)
from .tasks import import_dir, progress_read

TOTAL_LABELS = {
    "read": "Baris dibaca",
    "inserted": "Ditambahkan",
    "updated": "Diperbarui",
    "unchanged": "Tidak berubah",
    "rejected": "Ditolak",
    "warnings": "Peringatan",
}


def _context(request, **extra) -> dict:
    return {
        "pribadi": user_may(request.user, LIHAT_DATA_PRIBADI),
        "boleh_catat": user_may(request.user, CATAT_PERISTIWA),
        **extra,
    }


@permission_required(LIHAT_REGISTER)
def cari(request):
    query = request.GET.get("q", "").strip()
    hasil = selectors.penduduk_search(query) if query else []
    return render(request, "penduduk/cari.html", _context(request, q=query, hasil=hasil))


@permission_required(LIHAT_REGISTER)
def detail(request, pk: int):
    penduduk = get_object_or_404(Penduduk.objects.select_related("keluarga__kelurahan__kecamatan"), pk=pk)
    services.akses_catat(pengguna=request.user, jenis=AksesDataPribadi.Jenis.LIHAT, objek=f"penduduk {penduduk.nik}")
    peristiwa = penduduk.peristiwa.select_related("kelurahan", "dicatat_oleh").order_by("tanggal_peristiwa", "id")
    return render(
        request,
        "penduduk/detail.html",
        _context(
            request,
            p=penduduk,
            peristiwa=peristiwa,
            hidup=penduduk.status == StatusPenduduk.HIDUP,
            status_ktp=KodeReferensi.objects.filter(tabel="status_ktp_el.status_rekam", kode=penduduk.status_ktp)
            .values_list("label", flat=True)
            .first(),
        ),
    )


@permission_required(LIHAT_REGISTER)
def keluarga(request, pk: int):
    kk = get_object_or_404(Keluarga.objects.select_related("kelurahan__kecamatan"), pk=pk)
    services.akses_catat(pengguna=request.user, jenis=AksesDataPribadi.Jenis.LIHAT, objek=f"keluarga {kk.no_kk}")
    return render(request, "penduduk/keluarga.html", _context(request, kk=kk, anggota=selectors.family_members(kk)))


def _event_form(request, *, form, template: str, context: dict, record):
    """Validate the form, call the service, show its domain error on the form (never a 500)."""
    if request.method == "POST" and form.is_valid():
        try:
            penduduk = record(form.cleaned_data, actor_for(request.user, CATAT_PERISTIWA))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Peristiwa tercatat.")
            return redirect("penduduk:detail", pk=penduduk.pk)
    return render(request, template, _context(request, form=form, **context), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required(CATAT_PERISTIWA)
def lahir(request, pk: int):
    kk = get_object_or_404(Keluarga, pk=pk)
    members = selectors.present_members(kk)
    form = KelahiranForm(request.POST or None, members=members)

    def record(data, actor):
        return services.kelahiran_catat(keluarga=kk, actor=actor, **data)

    return _event_form(request, form=form, template="penduduk/lahir.html", context={"kk": kk}, record=record)


def _resident_event_view(form_class, service, judul: str):
    """A page recording one event of one resident (death, move out) through its service."""

    @require_http_methods(["GET", "POST"])
    @permission_required(CATAT_PERISTIWA)
    def view(request, pk: int):
        penduduk = get_object_or_404(Penduduk, pk=pk)

        def record(data, actor):
            service(penduduk=penduduk, actor=actor, **data)
            return penduduk

        return _event_form(
            request,
            form=form_class(request.POST or None),
            template="penduduk/peristiwa_form.html",
            context={"p": penduduk, "judul": judul},
            record=record,
        )

    return view


mati = _resident_event_view(KematianForm, services.kematian_catat, "Catat kematian")
pindah_keluar = _resident_event_view(PindahKeluarForm, services.pindah_keluar_catat, "Catat pindah keluar")


@require_http_methods(["GET", "POST"])
@permission_required(CATAT_PERISTIWA)
def pindah_masuk(request):
    def record(data, actor):
        keluarga, baru = None, None
        if data["no_kk_tujuan"]:
            number = data["no_kk_tujuan"].replace(".", "").replace(" ", "")
            keluarga = Keluarga.objects.filter(no_kk=number).first()
            if keluarga is None:
                raise DomainError(f"No. KK {data['no_kk_tujuan']} tidak terdaftar.", code="pindah_masuk_kk_tidak_ada")
        else:
            baru = services.KeluargaBaru(
                no_kk=data["no_kk_baru"],
                kelurahan_id=data["kelurahan"].pk,
                rw=data["rw"],
                rt=data["rt"],
                alamat=data["alamat"],
            )
        pendatang = services.DataPendatang(**{f: data[f] for f in services.DataPendatang.__dataclass_fields__})
        return services.pindah_masuk_catat(
            data=pendatang,
            tanggal=data["tanggal"],
            tanggal_lapor=data["tanggal_lapor"],
            alamat_asal=data["alamat_asal"],
            keluarga=keluarga,
            keluarga_baru=baru,
            actor=actor,
        )

    return _event_form(
        request,
        form=PindahMasukForm(request.POST or None),
        template="penduduk/pindah_masuk.html",
        context={},
        record=record,
    )


@permission_required(PERIKSA_DATA)
def kualitas(request):
    q = selectors.data_quality()
    return render(request, "penduduk/kualitas.html", _context(request, q=q, kartu=selectors.quality_summary(q)))


@permission_required(LIHAT_LOG_AKSES)
def log_akses(request):
    log = AksesDataPribadi.objects.select_related("pengguna")[:500]
    return render(request, "penduduk/log_akses.html", {"log": log})


@require_http_methods(["GET", "POST"])
@permission_required(IMPOR_PENDUDUK)
def impor(request):
    form = ImporForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        target = import_dir() / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = services.impor_daftar(
            berkas=target,
            nama_asli=upload.name,
            lewati_tidak_valid=form.cleaned_data["lewati_tidak_valid"],
            pengguna=request.user,
        )
        return redirect("penduduk:impor_status", pk=job.pk)
    riwayat = Impor.objects.select_related("diunggah_oleh")[:20]
    return render(
        request, "penduduk/impor.html", {"form": form, "riwayat": riwayat}, status=400 if form.errors else 200
    )


@permission_required(IMPOR_PENDUDUK)
def impor_status(request, pk: int):
    job = services.impor_terhenti_tandai(impor=get_object_or_404(Impor, pk=pk))
    template = (
        "penduduk/impor_status.html#kemajuan" if request.headers.get("HX-Request") else "penduduk/impor_status.html"
    )
    ringkasan = [(label, job.ringkasan[key]) for key, label in TOTAL_LABELS.items() if key in job.ringkasan]
    return render(request, template, {"job": job, "kemajuan": progress_read(job.pk), "ringkasan": ringkasan})


@permission_required(IMPOR_PENDUDUK)
def impor_laporan(request, pk: int):
    job = get_object_or_404(Impor, pk=pk)
    if not job.laporan or not Path(job.laporan).is_file():
        raise Http404("Laporan belum tersedia.")
    services.akses_catat(
        pengguna=request.user, jenis=AksesDataPribadi.Jenis.EKSPOR, objek=f"laporan impor {job.nama_asli}"
    )
    return FileResponse(Path(job.laporan).open("rb"), as_attachment=True, filename=f"laporan-impor-{job.pk}.xlsx")
