"""Sends a user whose password was set by an admin (or is a published demo password) to change it first."""

from django.conf import settings
from django.shortcuts import redirect


class PasswordChangeRequiredMiddleware:
    # Besides the account pages (the change page itself): signing out, switching language and static files.
    OPEN_PATHS = ("/akun/", "/keluar/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.harus_ganti_sandi
            and not settings.PIAK_DEMO
            and not request.path.startswith(self.OPEN_PATHS)
        ):
            return redirect("akun:password_change")
        return self.get_response(request)
