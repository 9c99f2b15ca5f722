"""The page where the Kepala Dinas (and the Sekretaris, for the Kepala Dinas's substitute) confirms or rejects
Plt/Plh appointments entered by the Admin."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import roles, services
from .errors import DomainError
from .models import RoleHolding
from .permissions import role_required
from .selectors import acting_awaiting_confirmation, acting_decided_by

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
