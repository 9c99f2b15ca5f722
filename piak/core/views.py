"""The page where the Kepala Dinas (and the Sekretaris, for the Kepala Dinas's substitute) confirms or rejects
Plt/Plh appointments entered by the Admin; the Admin's backup log."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import roles, services
from .errors import DomainError
from .models import BackupLog, RoleHolding
from .permissions import admin_required, role_required
from .selectors import (
    DRILL_DUE_DAYS,
    acting_awaiting_confirmation,
    acting_decided_by,
    backup_log_recent,
    cadangan_terakhir,
    drill_overdue,
)

# A restore drill older than this is shown as overdue on the backup page (docs/backup.md).

confirmers_only = role_required(roles.KEPALA_DINAS, roles.SEKRETARIS)


@confirmers_only
def acting_confirmations(request):
    today = timezone.localdate()
    return render(
        request,
        "core/konfirmasi_jabatan.html",
        {
            "pending": acting_awaiting_confirmation(user=request.user, on=today),
            "decided": acting_decided_by(user=request.user),
        },
    )


def _decide(request, pk: int, decide, done: str):
    holding = get_object_or_404(RoleHolding.objects.select_related("user", "role"), pk=pk)
    try:
        decide(holding)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{done}: {holding.capacity_prefix}{holding.role.nama}, {holding.user.display_name}.")
    return redirect("core:acting_confirmations")


@require_POST
@confirmers_only
def acting_confirm(request, pk: int):
    return _decide(
        request, pk, lambda holding: services.role_acting_confirm(holding=holding, by=request.user), "Dikonfirmasi"
    )


@require_POST
@confirmers_only
def acting_reject(request, pk: int):
    alasan = request.POST.get("alasan", "")
    return _decide(
        request,
        pk,
        lambda holding: services.role_acting_reject(holding=holding, by=request.user, alasan=alasan),
        "Ditolak",
    )


@admin_required
def backup_log(request):
    drill = cadangan_terakhir(jenis=BackupLog.Kind.LATIHAN)
    return render(
        request,
        "core/cadangan.html",
        {
            "log": backup_log_recent(),
            "last_backup": cadangan_terakhir(jenis=BackupLog.Kind.CADANGAN),
            "last_drill": drill,
            "drill_overdue": drill_overdue(drill),
            "drill_due_days": DRILL_DUE_DAYS,
            "keep": settings.PIAK_CADANGAN_SIMPAN,
        },
    )
