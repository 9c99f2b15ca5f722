"""Pages of the SOP engine. Every change goes through `services`; these views only translate."""

import difflib
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from piak.core.errors import DomainError
from piak.core.permissions import acting_role_codes, permission_required, role_required
from piak.web.params import int_param
from piak.web.uploads import attachment_response

from . import forms, services
from .document import sop_document_context, sop_document_pdf
from .handlers import handler_for
from .lembar import lembar_filename, lembar_pdf
from .models import Case, ComplianceExport, DocumentVersion, Notification, SopVersion, StepRun
from .monitoring import compliance_report
from .permissions import SOP_MONITOR
from .rencana import plan_activities
from .report import COUNTING_RULE, compliance_xlsx
from .selectors import actions_for, case_timeline, disposisi_candidates, inbox_for, open_run

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECONDS_PER_CASE = 0.2  # WeasyPrint lays out about five cases' step tables a second (bench/dashboard.py)


def _any_role(user) -> bool:
    return bool(acting_role_codes(user))


def piak_staff_required(view):
    """Pages for anyone who holds a PIAK role today (Admin included)."""
    guarded = login_required(view)

    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not _any_role(request.user):
            raise PermissionDenied
        return guarded(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _latest_versions() -> list[SopVersion]:
    latest: dict[str, SopVersion] = {}
    for version in SopVersion.objects.order_by("kode", "-nomor_versi"):
        latest.setdefault(version.kode, version)
    return list(latest.values())


def _version(kode: str, number: int | None = None) -> SopVersion:
    versions = SopVersion.objects.filter(kode=kode)
    version = versions.filter(nomor_versi=number).first() if number else versions.order_by("-nomor_versi").first()
    if version is None:
        raise Http404("SOP tidak ditemukan")
    return version


@piak_staff_required
def inbox(request):
    return render(request, "sop/inbox.html", {"items": inbox_for(user=request.user)})


@piak_staff_required
def sop_list(request):
    roles = acting_role_codes(request.user)
    rows = [
        {
            "version": v,
            "may_start": v.definition.step(1).pelaksana in roles,
            "elsewhere": handler_for(v.kode).start_elsewhere,
        }
        for v in _latest_versions()
    ]
    return render(request, "sop/sop_list.html", {"rows": rows, "is_admin": "admin" in roles})


@piak_staff_required
def sop_document(request, kode):
    version = _version(kode, int_param(request.GET, "versi"))
    context = sop_document_context(version)
    context["versions"] = SopVersion.objects.filter(kode=kode).order_by("-nomor_versi")
    return render(request, "sop/dokumen.html", context)


@piak_staff_required
def sop_document_download(request, kode):
    version = _version(kode, int_param(request.GET, "versi"))
    response = HttpResponse(sop_document_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kode}-v{version.nomor_versi}.pdf"'
    return response


@role_required("admin")
def sop_new_version(request, kode):
    current = _version(kode)
    form = forms.NewVersionForm(request.POST or None, request.FILES or None, initial={"yaml_text": current.yaml_text})
    context = {"current": current, "form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["yaml_text"]
        context["diff"] = list(
            difflib.unified_diff(
                current.yaml_text.splitlines(),
                text.splitlines(),
                f"versi {current.nomor_versi}",
                "versi baru",
                lineterm="",
            )
        )
        if request.POST.get("aksi") == "terbitkan":
            try:
                version = services.sop_publish(
                    yaml_text=text, user=request.user, catatan=form.cleaned_data.get("catatan", "")
                )
            except DomainError as error:
                context["errors"] = getattr(error, "errors", [error.message])
            else:
                messages.success(request, f"SOP {version.kode} versi {version.nomor_versi} diterbitkan.")
                return redirect("sop:document", kode=version.kode)
        else:
            context["errors"] = _definition_problems(text)
            context["preview"] = True
    return render(request, "sop/new_version.html", context)


def _definition_problems(text: str) -> list[str]:
    from .definition import DefinitionInvalid, definition_parse

    try:
        definition_parse(text)
    except DefinitionInvalid as error:
        return error.errors
    return []


@piak_staff_required
def start(request, kode):
    version = _version(kode)
    definition = version.definition
    if definition.step(1).pelaksana not in acting_role_codes(request.user):
        raise PermissionDenied
    if elsewhere := handler_for(kode).start_elsewhere:
        messages.info(request, elsewhere.message)
        return redirect(elsewhere.url_name)
    form = forms.StartWorkPlanForm(request.POST or None, request.FILES or None, versi=version)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_start(
                versi=version,
                user=request.user,
                judul=form.cleaned_data["judul"],
                upload=form.attachment(),
                rencana_kerja=form.work_plan(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Berkas dimulai. Lengkapi langkah 1 lalu selesaikan.")
            return redirect("sop:case", pk=case.pk)
    return render(request, "sop/start.html", {"version": version, "d": definition, "form": form})


@piak_staff_required
def case_list(request):
    status = request.GET.get("status", Case.Status.BERJALAN)
    cases = Case.objects.filter(status=status).select_related("versi", "dimulai_oleh").prefetch_related("step_runs")
    return render(
        request, "sop/case_list.html", {"cases": cases[:200], "status": status, "statuses": Case.Status.choices}
    )


def _action_forms(case: Case, actions: list[str], run) -> dict:
    if run is None:
        return {}
    step = case.versi.definition.step(run.langkah)
    return {action: ACTIONS[action][0](case, run, step, None, None) for action in actions}


@piak_staff_required
def case_detail(request, pk):
    case = get_object_or_404(Case.objects.select_related("versi", "dimulai_oleh"), pk=pk)
    handler = handler_for(case.versi.kode)
    run = open_run(case)
    offered = actions_for(case=case, user=request.user)
    # One read of the versions, newest first: the list, the version the action forms speak of, and the binding.
    documents = list(case.documents.select_related("dibuat_oleh", "disusun_oleh").order_by("-nomor"))
    for document in documents:
        document.activities = plan_activities(case.versi.kode, document.isi)
    context = {
        "case": case,
        "d": case.versi.definition,
        "run": run,
        "step": case.versi.definition.step(run.langkah) if run else None,
        "timeline": case_timeline(case),
        "documents": documents,
        "action_forms": _action_forms(case, offered.actions, run),
        "refusal": offered.refusal,
        "binding": forms.StepBinding.for_page(run, documents[0] if documents else None),
        "may_cancel": case.status == Case.Status.BERJALAN
        and bool(acting_role_codes(request.user) & services.CANCEL_ROLES),
        "cancel_form": forms.CancelForm(),
        "panels": handler.case_panels(case=case, user=request.user),
        "action_help": handler.action_help(case=case),
        "supplied": handler.supplies_document(case=case),
        "supplied_labels": handler.supplied_labels,
    }
    return render(request, "sop/case_detail.html", context)


def _perform(request, case: Case, form, call) -> HttpResponse:
    """Validate the form, run the service, and come back to the case with a clear message."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("sop:case", pk=case.pk)
    try:
        message = call(form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("sop:case", pk=case.pk)


def _complete(user, case, run, data, seen) -> str:
    services.step_complete(
        step_run=run, user=user, checklist=data["kelengkapan"], catatan=data["catatan"], document_hash=seen
    )
    return f"Langkah {run.langkah} selesai."


def _paraf(user, case, run, data, seen) -> str:
    services.step_paraf(step_run=run, user=user, document_hash=seen, catatan=data["catatan"])
    return f"Paraf langkah {run.langkah} tercatat."


def _sign(user, case, run, data, seen) -> str:
    services.step_sign(step_run=run, user=user, document_hash=seen, passphrase=data["passphrase"])
    return "Dokumen ditandatangani."


def _return(user, case, run, data, seen) -> str:
    services.step_return(step_run=run, user=user, to_step=data["ke_langkah"], reason=data["alasan"], document_hash=seen)
    return f"Dokumen dikembalikan ke langkah {data['ke_langkah']}."


def _disposisi(user, case, run, data, seen) -> str:
    services.step_disposisi(
        step_run=run, user=user, instruksi=data["instruksi"], kepada=data["kepada"], document_hash=seen
    )
    return f"Disposisi kepada {data['kepada'].display_name} tercatat."


def _cancel(user, case, run, data, seen) -> str:
    services.case_cancel(case=case, user=user, reason=data["alasan"], seen_run_id=run.pk)
    return "Berkas dibatalkan."


def _add_document(user, case, run, data, seen) -> str:
    if handler_for(case.versi.kode).supplies_document(case=case):
        version = services.document_add(case=case, user=user, step_run=run)
    elif "berkas" in data:
        version = services.document_add(case=case, user=user, upload=data["berkas"], step_run=run)
    else:
        version = services.document_add(
            case=case,
            user=user,
            rencana_kerja=forms.work_plan_from(data),
            upload=data.get("rk_lampiran"),
            step_run=run,
        )
    return f"Dokumen versi {version.nomor} tersimpan."


WORK_PLAN_TEXT = ("judul", "dasar_hukum")


def _document_form(case, run, step, post, files):
    """The form for a new document version: a letter's newest draft, an uploaded report, or the work plan
    (pre-filled with the current plan; an attachment is not carried over, each version holds its own)."""
    if handler_for(case.versi.kode).supplies_document(case=case):
        return forms.SuppliedDocumentForm(post)
    if case.versi.definition.berkas == "laporan":
        return forms.UploadForm(post, files)
    document = case.documents.order_by("-nomor").first()
    plan = document.isi if document else {}
    current = {f"rk_{k}": plan[k] for k in WORK_PLAN_TEXT if k in plan} | forms.activity_initial(plan, case.versi.kode)
    form = forms.WorkPlanFields(post, files, initial=current, versi=case.versi)
    if attached := plan.get("lampiran"):
        field = form.fields["rk_lampiran"]
        field.help_text = (
            f"Lampiran versi {document.nomor} ({attached['nama']}) tidak ikut ke versi baru; unggah lagi bila "
            f"masih berlaku. {field.help_text}"
        )
    return form


# action → (form builder, handler returning the success message)
ACTIONS = {
    "selesai": (lambda case, run, step, post, files: forms.CompleteForm(post, checklist=step.checklist), _complete),
    "dokumen": (_document_form, _add_document),
    "paraf": (lambda case, run, step, post, files: forms.ApproveForm(post), _paraf),
    "tanda_tangan": (lambda case, run, step, post, files: forms.SignForm(post), _sign),
    "kembalikan": (lambda case, run, step, post, files: forms.ReturnForm(post, targets=step.kembali_ke), _return),
    "disposisi": (
        lambda case, run, step, post, files: forms.DisposisiForm(post, candidates=disposisi_candidates(case, run)),
        _disposisi,
    ),
    "batal": (lambda case, run, step, post, files: forms.CancelForm(post), _cancel),
}
STALE_FORM = "Formulir ini tidak lengkap atau bukan dari halaman berkas ini. Muat ulang halaman, lalu ulangi."


@require_POST
@piak_staff_required
def case_action(request, pk, action):
    """Every action form posts here with the step run and document it was shown for; the service decides
    whether this user may do it now, on exactly that."""
    if action not in ACTIONS:
        raise Http404("Tindakan tidak dikenal")
    case = get_object_or_404(Case.objects.select_related("versi"), pk=pk)
    binding = forms.StepBinding(request.POST)
    run = None
    if binding.is_valid():
        run = StepRun.objects.filter(pk=binding.cleaned_data["langkah_id"], case=case).first()
    if run is None:
        messages.error(request, STALE_FORM)
        return redirect("sop:case", pk=case.pk)
    step = case.versi.definition.step(run.langkah)
    build, handle = ACTIONS[action]
    form = build(case, run, step, request.POST, request.FILES)
    seen = binding.cleaned_data["dokumen_sha256"]
    return _perform(request, case, form, lambda data: handle(request.user, case, run, data, seen))


@piak_staff_required
def lembar_download(request, pk):
    """The Lembar Kendali PDF: whoever may open the case page may print its paper trail."""
    case = get_object_or_404(Case.objects.select_related("versi", "dimulai_oleh"), pk=pk)
    response = HttpResponse(lembar_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{lembar_filename(case)}"'
    return response


@piak_staff_required
def document_download(request, pk, nomor):
    document = get_object_or_404(DocumentVersion, case_id=pk, nomor=nomor)
    if not document.berkas:
        raise Http404("Versi ini tidak berupa berkas")
    return attachment_response(document.berkas, document.nama_berkas)


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user).select_related("step_run__case")[:100]
    return render(request, "sop/notifications.html", {"items": items})


@require_POST
@login_required
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    try:
        services.notification_read(notification=notification, user=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    return redirect(reverse("sop:case", kwargs={"pk": notification.step_run.case_id}))


def _period_form(request) -> forms.CompliancePeriodForm:
    """The period from the query string; this month so far when none is given."""
    today = timezone.localdate()
    data = request.GET if "awal" in request.GET or "akhir" in request.GET else None
    return forms.CompliancePeriodForm(data, initial={"awal": today.replace(day=1), "akhir": today})


@permission_required(SOP_MONITOR)
def compliance(request):
    form = _period_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "sop/kepatuhan.html", {"form": form}, status=400)
    period = form.cleaned_data if form.is_bound else form.initial
    report = compliance_report(awal=period["awal"], akhir=period["akhir"])
    exports = ComplianceExport.objects.select_related("diminta_oleh")[:10]
    context = {"form": form, "report": report, "query": _query(period), "exports": exports, "rule": COUNTING_RULE}
    return render(request, "sop/kepatuhan.html", context)


def _query(period: dict) -> str:
    return f"awal={period['awal']:%Y-%m-%d}&akhir={period['akhir']:%Y-%m-%d}"


@permission_required(SOP_MONITOR)
def compliance_xlsx_download(request):
    form = _period_form(request)
    if not form.is_valid():
        return render(request, "sop/kepatuhan.html", {"form": form}, status=400)
    report = compliance_report(**form.cleaned_data)
    response = HttpResponse(compliance_xlsx(report), content_type=XLSX_TYPE)
    name = f"kepatuhan-sop-{report.awal:%Y%m%d}-{report.akhir:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@permission_required(SOP_MONITOR)
def compliance_pdf_request(request):
    form = forms.CompliancePeriodForm(request.POST)
    if not form.is_valid():
        return render(request, "sop/kepatuhan.html", {"form": form}, status=400)
    export = services.compliance_pdf_request(**form.cleaned_data, user=request.user)
    return redirect("sop:compliance_pdf", pk=export.pk)


@permission_required(SOP_MONITOR)
def compliance_pdf_status(request, pk: int):
    export = get_object_or_404(ComplianceExport.objects.select_related("diminta_oleh"), pk=pk)
    template = (
        "sop/kepatuhan_pdf_status.html#status" if request.headers.get("HX-Request") else "sop/kepatuhan_pdf_status.html"
    )
    estimate = round(export.jumlah_berkas * SECONDS_PER_CASE) + 5
    return render(request, template, {"export": export, "estimate": estimate})


@permission_required(SOP_MONITOR)
def compliance_pdf_download(request, pk: int):
    export = get_object_or_404(ComplianceExport, pk=pk, status=ComplianceExport.Status.SELESAI)
    return FileResponse(export.berkas.open("rb"), as_attachment=True, filename=Path(export.berkas.name).name)
