from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from piak.core.errors import DomainError
from piak.core.permissions import permission_required, user_may

from .forms import SnapshotForm
from .models import Snapshot
from .permissions import SNAPSHOT_CREATE, STATISTIK_VIEW
from .registry import snapshot_rows_from_registry
from .report import report_pdf, report_xlsx
from .services import indicators_compute, semester_start, snapshot_create
from .synthetic import synthetic_events, synthetic_population
from .tables import report_build

DEMO_PEOPLE = 50_000


def _snapshot_or_404(snapshot_id: int) -> Snapshot:
    snapshot = Snapshot.objects.filter(pk=snapshot_id).select_related("dibuat_oleh").first()
    if snapshot is None:
        raise Http404("Snapshot tidak ada.")
    return snapshot


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
    snapshots = Snapshot.objects.select_related("dibuat_oleh").order_by("-tanggal_potong", "-id")
    return render(
        request,
        "statistik/snapshot_list.html",
        {"snapshots": snapshots, "form": form, "may_create": may_create},
        status=400 if form.errors else 200,
    )


def _create(data: dict, user) -> Snapshot:
    cutoff = data["tanggal_potong"]
    if data["sumber"] == "sintetis":
        penduduk = synthetic_population(DEMO_PEOPLE, seed=cutoff.toordinal())
        peristiwa = synthetic_events(DEMO_PEOPLE, start=semester_start(cutoff), end=cutoff, seed=cutoff.toordinal())
        sumber = {"asal": "sintetis", "penduduk": DEMO_PEOPLE}
    else:
        penduduk, peristiwa, sumber = snapshot_rows_from_registry(cutoff)
    snapshot = snapshot_create(cutoff=cutoff, penduduk=penduduk, peristiwa=peristiwa, sumber=sumber, by=user)
    indicators_compute(snapshot=snapshot, by=user)
    return snapshot


@permission_required(STATISTIK_VIEW)
def snapshot_detail(request, snapshot_id: int):
    snapshot = _snapshot_or_404(snapshot_id)
    report = report_build(snapshot)
    return render(request, "statistik/snapshot_detail.html", {"snapshot": snapshot, "report": report})


@permission_required(STATISTIK_VIEW)
def report_download(request, snapshot_id: int, kind: str):
    snapshot = _snapshot_or_404(snapshot_id)
    name = f"laporan-kependudukan-{snapshot.tanggal_potong:%Y-%m-%d}-snapshot-{snapshot.pk}"
    if kind == "pdf":
        response = HttpResponse(report_pdf(snapshot), content_type="application/pdf")
    else:
        response = HttpResponse(
            report_xlsx(snapshot),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
