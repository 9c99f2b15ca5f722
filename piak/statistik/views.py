from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from piak.core.errors import DomainError
from piak.core.permissions import permission_required, user_may
from piak.web.xlsx import workbook_bytes

from .compare import Comparison, comparison_build
from .forms import ComparisonForm, SnapshotForm
from .models import Snapshot
from .permissions import SNAPSHOT_CREATE, STATISTIK_VIEW
from .report import report_pdf, report_xlsx, table_xlsx
from .selectors import scope_city, scope_kecamatan, snapshot_get
from .services import indicators_compute, snapshot_create_synthetic, snapshot_freeze_register
from .tables import Report, report_build

DEMO_PEOPLE = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required(STATISTIK_VIEW)
@require_http_methods(["GET", "POST"])
def snapshot_list(request):
    may_create = user_may(request.user, SNAPSHOT_CREATE)
    form = SnapshotForm(request.POST or None)
    if request.method == "POST":
        if not may_create:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                snapshot = _create(form.cleaned_data, request.user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Snapshot #{snapshot.pk} dibuat dan indikatornya dihitung.")
                return redirect("statistik:snapshot", snapshot_id=snapshot.pk)
    snapshots = list(Snapshot.objects.select_related("dibuat_oleh").order_by("-tanggal_potong", "-id"))
    stamp = next((s.stamp for s in snapshots if s.stamp), "")
    return render(
        request,
        "statistik/snapshot_list.html",
        {"snapshots": snapshots, "form": form, "may_create": may_create, "stamp": stamp},
        status=400 if form.errors else 200,
    )


def _create(data: dict, user) -> Snapshot:
    cutoff = data["tanggal_potong"]
    if data["sumber"] == SnapshotForm.SYNTHETIC:
        snapshot = snapshot_create_synthetic(cutoff=cutoff, people=DEMO_PEOPLE, by=user)
    else:
        snapshot = snapshot_freeze_register(cutoff=cutoff, by=user)
    indicators_compute(snapshot=snapshot, by=user)
    return snapshot


def _not_found(request, message: str) -> HttpResponse:
    return render(request, "statistik/tidak_ditemukan.html", {"message": message}, status=404)


def _report(snapshot_id: int, kode: str | None) -> Report:
    """The report of a snapshot for the city, or for kecamatan `kode`; DomainError if either is unknown."""
    snapshot = snapshot_get(snapshot_id)
    return report_build(snapshot, scope_kecamatan(kode) if kode else scope_city())


@permission_required(STATISTIK_VIEW)
def snapshot_detail(request, snapshot_id: int, kode: str | None = None):
    try:
        report = _report(snapshot_id, kode)
    except DomainError as error:
        return _not_found(request, error.message)
    return render(request, "statistik/snapshot_detail.html", {"snapshot": report.snapshot, "report": report})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@permission_required(STATISTIK_VIEW)
def table_download(request, snapshot_id: int, number: int, kode: str | None = None):
    try:
        report = _report(snapshot_id, kode)
        content = table_xlsx(report, number)
    except DomainError as error:
        return _not_found(request, error.message)
    region = f"kecamatan-{kode}" if kode else "kota"
    return _xlsx(content, f"tabel-{number}-{region}-snapshot-{snapshot_id}")


def _comparison(request) -> tuple[ComparisonForm, Comparison | None]:
    """The form of the comparison page and, when its input is sound, the comparison it asks for."""
    if not request.GET:
        latest = list(Snapshot.objects.order_by("-tanggal_potong", "-id").values_list("pk", flat=True)[:2])
        return ComparisonForm(initial=dict(zip("ba", latest, strict=False))), None
    form = ComparisonForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, comparison_build(a=form.cleaned_data["a"], b=form.cleaned_data["b"])
    except DomainError as error:
        form.add_error(None, error.message)
        return form, None


@permission_required(STATISTIK_VIEW)
def comparison(request):
    form, result = _comparison(request)
    context = {"form": form, "comparison": result}
    return render(request, "statistik/banding.html", context, status=400 if form.errors else 200)


@permission_required(STATISTIK_VIEW)
def comparison_download(request):
    form, result = _comparison(request)
    if result is None:
        return render(request, "statistik/banding.html", {"form": form}, status=400)
    return _xlsx(
        workbook_bytes(result.sheets, stamp=result.stamp), f"perbandingan-snapshot-{result.a.pk}-{result.b.pk}"
    )


@permission_required(STATISTIK_VIEW)
def report_download(request, snapshot_id: int, kind: str):
    try:
        snapshot = snapshot_get(snapshot_id)
    except DomainError as error:
        return _not_found(request, error.message)
    name = f"laporan-kependudukan-{snapshot.tanggal_potong:%Y-%m-%d}-snapshot-{snapshot.pk}"
    if kind == "xlsx":
        return _xlsx(report_xlsx(snapshot), name)
    response = HttpResponse(report_pdf(snapshot), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
