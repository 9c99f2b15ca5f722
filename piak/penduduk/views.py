import io
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from piak.core.errors import DomainError, PermissionDeniedError
from piak.core.permissions import permission_required, user_may
from piak.web.middleware import personal_data_response
from piak.web.uploads import attachment_response, upload_limit, upload_save

from . import selectors, services
from .forms import (
    SIAK_EXPORT_UPLOAD,
    CariForm,
    ImporForm,
    KelahiranForm,
    KematianForm,
    KoreksiForm,
    PindahKeluarForm,
    PindahMasukForm,
    TandaiGandaForm,
)
from .impor.report import report_masked
from .koreksi import KOLOM, as_text, value_label
from .models import AksesDataPribadi, Impor, Keluarga, KodeReferensi, KoreksiData, Penduduk, StatusPenduduk
from .nik import kk_mask, nik_mask
from .permissions import (
    CARI_NOMOR,
    CATAT_PERISTIWA,
    IMPOR_PENDUDUK,
    KOREKSI_DATA,
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
        "boleh_koreksi": user_may(request.user, KOREKSI_DATA),
        **extra,
    }


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _access_log(request, jenis: str, objek: str, *, tujuan: str = "") -> None:
    services.akses_catat(
        actor=actor_for(request.user, LIHAT_REGISTER),
        jenis=jenis,
        objek=objek,
        tujuan=tujuan,
        alamat_ip=_client_ip(request),
    )


def _resident_label(penduduk: Penduduk) -> str:
    return f"penduduk {nik_mask(penduduk.nik)} #{penduduk.pk}"


def _family_label(keluarga: Keluarga) -> str:
    return f"keluarga {kk_mask(keluarga.no_kk)} #{keluarga.pk}"


@require_http_methods(["GET", "POST"])
@permission_required(LIHAT_REGISTER)
@personal_data_response
def cari(request):
    """GET shows the empty form; the search itself is a POST, so no NIK ever travels in the URL."""
    if request.GET:
        # An old bookmark or link with ?q=: not run, and not echoed into the page (language switch).
        return redirect("penduduk:cari")
    form = CariForm(request.POST or None)
    hasil, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            hasil = services.penduduk_cari(
                actor=actor_for(request.user, LIHAT_REGISTER),
                query=form.cleaned_data["q"].strip(),
                may_search_numbers=user_may(request.user, CARI_NOMOR),
                tujuan=form.cleaned_data["tujuan"],
                alamat_ip=_client_ip(request),
            )
        except services.SearchRateExceeded as error:
            form.add_error(None, error.message)
            status = 429
        except PermissionDeniedError as error:
            # The refused digits are not echoed back: the page shows no number the role may not search.
            form = CariForm({"q": "", "tujuan": form.cleaned_data["tujuan"]})
            form.errors.clear()
            form.add_error("q", error.message)
            status = 403
    elif form.errors:
        status = 400
    return render(request, "penduduk/cari.html", _context(request, form=form, hasil=hasil), status=status)


@permission_required(LIHAT_REGISTER)
@personal_data_response
def detail(request, pk: int):
    penduduk = get_object_or_404(Penduduk.objects.select_related("keluarga__kelurahan__kecamatan"), pk=pk)
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, _resident_label(penduduk))
    peristiwa = penduduk.peristiwa.select_related("kelurahan", "dicatat_oleh").order_by("tanggal_peristiwa", "id")
    koreksi = penduduk.koreksi.select_related("pengganti", "dilakukan_oleh").order_by("dilakukan_pada", "id")
    return render(
        request,
        "penduduk/detail.html",
        _context(
            request,
            p=penduduk,
            peristiwa=peristiwa,
            koreksi=_correction_rows(request, koreksi),
            digantikan=koreksi.filter(jenis=KoreksiData.Jenis.DATA_GANDA).last(),
            ganda_mungkin=penduduk.status == StatusPenduduk.HIDUP and selectors.duplicate_group(penduduk).count() > 1,
            hidup=penduduk.status == StatusPenduduk.HIDUP,
            tautan=_case_link(request),
            status_ktp=KodeReferensi.objects.filter(tabel="status_ktp_el.status_rekam", kode=penduduk.status_ktp)
            .values_list("label", flat=True)
            .first(),
        ),
    )


@permission_required(LIHAT_REGISTER)
@personal_data_response
def keluarga(request, pk: int):
    kk = get_object_or_404(Keluarga.objects.select_related("kelurahan__kecamatan"), pk=pk)
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, _family_label(kk))
    return render(request, "penduduk/keluarga.html", _context(request, kk=kk, anggota=selectors.family_members(kk)))


def _event_form(request, *, form, template: str, context: dict, record, objek: str):
    """Validate the form, call the service, show its domain error on the form (never a 500).

    Every showing of the form (it names the resident or family) is an access-log entry `objek`.
    """
    if request.method == "POST" and form.is_valid():
        try:
            penduduk = record(form.cleaned_data, actor_for(request.user, CATAT_PERISTIWA))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Peristiwa tercatat.")
            return redirect("penduduk:detail", pk=penduduk.pk)
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, objek)
    return render(request, template, _context(request, form=form, **context), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required(CATAT_PERISTIWA)
@personal_data_response
def lahir(request, pk: int):
    kk = get_object_or_404(Keluarga, pk=pk)
    members = selectors.present_members(kk)
    form = KelahiranForm(request.POST or None, members=members)

    def record(data, actor):
        return services.kelahiran_catat(keluarga=kk, actor=actor, **data)

    return _event_form(
        request,
        form=form,
        template="penduduk/lahir.html",
        context={"kk": kk},
        record=record,
        objek=f"formulir kelahiran {_family_label(kk)}",
    )


def _resident_event_view(form_class, service, judul: str):
    """A page recording one event of one resident (death, move out) through its service."""

    @require_http_methods(["GET", "POST"])
    @permission_required(CATAT_PERISTIWA)
    @personal_data_response
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
            objek=f"formulir {judul.lower()} {_resident_label(penduduk)}",
        )

    return view


mati = _resident_event_view(KematianForm, services.kematian_catat, "Catat kematian")
pindah_keluar = _resident_event_view(PindahKeluarForm, services.pindah_keluar_catat, "Catat pindah keluar")


@require_http_methods(["GET", "POST"])
@permission_required(CATAT_PERISTIWA)
@personal_data_response
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
        objek="formulir pindah masuk",
    )


@permission_required(PERIKSA_DATA)
@personal_data_response
def kualitas(request):
    q = selectors.data_quality()
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, "pemeriksaan kualitas data (daftar No. KK)")
    context = _context(request, q=q, kartu=selectors.quality_summary(q), tautan=_case_link(request))
    return render(request, "penduduk/kualitas.html", context)


# -- corrections (SOP 2: koreksi data ganda/anomali) -----------------------------------------------
# The siak app sends officials here from a case with `?berkas=<case id>&next=<case page>`: the page
# names the case and, once saved, returns to `next` (a local address only).


def _case_link(request) -> dict:
    berkas = request.POST.get("berkas") or request.GET.get("berkas") or ""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    link = {"berkas": berkas if berkas.isdigit() else "", "next": target if safe else ""}
    kept = {key: value for key, value in link.items() if value}
    return {**link, "query": f"?{urlencode(kept)}" if kept else ""}


def _correction_saved(request, message: str, default: str):
    messages.success(request, message)
    return redirect(_case_link(request)["next"] or default)


def _correction_rows(request, koreksi) -> list[dict]:
    pribadi = user_may(request.user, LIHAT_DATA_PRIBADI)
    return [
        {
            "k": k,
            "kolom": KOLOM[k.kolom].label if k.kolom in KOLOM else "Status",
            "lama": value_label(k.kolom, k.nilai_lama, pribadi=pribadi),
            "baru": value_label(k.kolom, k.nilai_baru, pribadi=pribadi),
        }
        for k in koreksi
    ]


@permission_required(KOREKSI_DATA)
@personal_data_response
def koreksi_pilih(request, pk: int):
    """The correctable fields of a resident with their values; each links to its correction form."""
    penduduk = get_object_or_404(Penduduk.objects.select_related("keluarga"), pk=pk)
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, f"formulir koreksi {_resident_label(penduduk)}")
    pribadi = user_may(request.user, LIHAT_DATA_PRIBADI)
    kolom = [(k, value_label(k.nama, as_text(getattr(penduduk, k.nama)), pribadi=pribadi)) for k in KOLOM.values()]
    return render(
        request,
        "penduduk/koreksi_pilih.html",
        _context(
            request, p=penduduk, kolom=kolom, tautan=_case_link(request), ganda=penduduk.status == StatusPenduduk.GANDA
        ),
    )


@require_http_methods(["GET", "POST"])
@permission_required(KOREKSI_DATA)
@personal_data_response
def koreksi_ubah(request, pk: int, kolom: str):
    penduduk = get_object_or_404(Penduduk, pk=pk)
    if kolom not in KOLOM:
        raise Http404("Isian ini tidak dapat dikoreksi.")
    spec = KOLOM[kolom]
    form = KoreksiForm(
        request.POST or None, request.FILES or None, kolom=spec, initial={"nilai_baru": getattr(penduduk, kolom)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            koreksi = services.koreksi_ubah_data(
                penduduk=penduduk,
                kolom=kolom,
                nilai_baru=form.cleaned_data["nilai_baru"],
                alasan=form.cleaned_data["alasan"],
                dokumen=form.cleaned_data["dokumen"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            pribadi = user_may(request.user, LIHAT_DATA_PRIBADI)
            lama, baru = (value_label(kolom, v, pribadi=pribadi) for v in (koreksi.nilai_lama, koreksi.nilai_baru))
            message = f"Koreksi tersimpan: {spec.label} {lama} → {baru}."
            return _correction_saved(request, message, reverse("penduduk:detail", args=[penduduk.pk]))
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, f"formulir koreksi {kolom} {_resident_label(penduduk)}")
    context = {"p": penduduk, "spec": spec, "form": form, "tautan": _case_link(request)}
    return render(
        request, "penduduk/koreksi_ubah.html", _context(request, **context), status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@permission_required(KOREKSI_DATA)
@personal_data_response
def tandai_ganda(request, pk: int):
    """Of the present records taken for the same person as `pk`: retire one as a duplicate of another."""
    penduduk = get_object_or_404(Penduduk, pk=pk)
    group = selectors.duplicate_group(penduduk)
    form = TandaiGandaForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.koreksi_data_ganda(
                ganda=data["ganda"],
                pengganti=data["pengganti"],
                alasan=data["alasan"],
                dokumen=data["dokumen"],
                user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            message = f"{data['ganda'].nama} (#{data['ganda'].pk}) dinonaktifkan sebagai data ganda."
            return _correction_saved(request, message, reverse("penduduk:kualitas"))
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, f"formulir data ganda {_resident_label(penduduk)}")
    context = {"p": penduduk, "group": list(group), "form": form, "tautan": _case_link(request)}
    return render(
        request, "penduduk/tandai_ganda.html", _context(request, **context), status=400 if form.errors else 200
    )


@permission_required(PERIKSA_DATA)
@personal_data_response
def koreksi_riwayat(request):
    koreksi = selectors.koreksi_latest()
    _access_log(request, AksesDataPribadi.Jenis.LIHAT, "riwayat koreksi data penduduk")
    return render(request, "penduduk/koreksi_riwayat.html", _context(request, baris=_correction_rows(request, koreksi)))


@permission_required(LIHAT_DATA_PRIBADI)
@personal_data_response
def koreksi_dokumen(request, pk: int):
    """The supporting document of a correction, as an attachment (it shows the resident's civil record)."""
    koreksi = get_object_or_404(KoreksiData.objects.select_related("penduduk"), pk=pk)
    _access_log(
        request, AksesDataPribadi.Jenis.EKSPOR, f"dokumen koreksi #{koreksi.pk} {_resident_label(koreksi.penduduk)}"
    )
    return attachment_response(koreksi.dokumen, koreksi.dokumen_nama)


@permission_required(LIHAT_LOG_AKSES)
@personal_data_response
def log_akses(request):
    return render(request, "penduduk/log_akses.html", {"log": selectors.access_log_latest()})


@upload_limit(SIAK_EXPORT_UPLOAD)
@require_http_methods(["GET", "POST"])
@permission_required(IMPOR_PENDUDUK)
def impor(request):
    form = ImporForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        target = upload_save(upload, import_dir() / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}")
        job = services.impor_daftar(
            berkas=target,
            nama_asli=upload.name,
            lewati_tidak_valid=form.cleaned_data["lewati_tidak_valid"],
            pengodean=form.cleaned_data["pengodean"],
            pengguna=request.user,
        )
        return redirect("penduduk:impor_status", pk=job.pk)
    riwayat = Impor.objects.select_related("diunggah_oleh")[:20]
    return render(
        request, "penduduk/impor.html", {"form": form, "riwayat": riwayat}, status=400 if form.errors else 200
    )


@permission_required(IMPOR_PENDUDUK)
@personal_data_response
def impor_status(request, pk: int):
    job = services.impor_terhenti_tandai(impor=get_object_or_404(Impor, pk=pk))
    template = (
        "penduduk/impor_status.html#kemajuan" if request.headers.get("HX-Request") else "penduduk/impor_status.html"
    )
    ringkasan = [(label, job.ringkasan[key]) for key, label in TOTAL_LABELS.items() if key in job.ringkasan]
    return render(request, template, _context(request, job=job, kemajuan=progress_read(job.pk), ringkasan=ringkasan))


@permission_required(IMPOR_PENDUDUK)
@personal_data_response
def impor_laporan(request, pk: int):
    """The import report; masked (NIKs, dates) for an uploader or Admin without `lihat data pribadi`."""
    job = get_object_or_404(Impor, pk=pk)
    report = Path(job.laporan) if job.laporan else None
    if report is None or not report.is_file():
        raise Http404("Laporan belum tersedia.")
    _access_log(request, AksesDataPribadi.Jenis.EKSPOR, f"laporan impor #{job.pk} {job.nama_asli}")
    filename = f"laporan-impor-{job.pk}{report.suffix}"
    if user_may(request.user, LIHAT_DATA_PRIBADI):
        return FileResponse(report.open("rb"), as_attachment=True, filename=filename)
    return FileResponse(io.BytesIO(report_masked(report)), as_attachment=True, filename=filename)
