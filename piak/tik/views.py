"""The ICT registers' landing page; each area's pages live in its own views module."""

from django.shortcuts import render

from piak.core.permissions import permission_required

from .permissions import LIHAT_TIK


@permission_required(LIHAT_TIK)
def beranda(request):
    return render(request, "tik/beranda.html")
