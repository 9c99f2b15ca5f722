"""Sends a user whose password was set by an admin (or is a demo password) to change it before anything else."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

MESSAGE = "Kata sandi Anda dibuat oleh admin. Ganti dulu kata sandi Anda sebelum melanjutkan."


class PasswordChangeRequiredMiddleware:
    # Besides the change page itself: signing out, switching language and static files stay reachable.
    OPEN_PATHS = ("/akun/", "/keluar/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.harus_ganti_sandi
            and not settings.PIAK_DEMO
            and not request.path.startswith(self.OPEN_PATHS)
        ):
            messages.warning(request, MESSAGE)
            return redirect(reverse("akun:password_change"))
        return self.get_response(request)
