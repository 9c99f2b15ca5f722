"""Request-wide middleware of core: the audit's acting user, and the forced password change."""

from django.conf import settings
from django.shortcuts import redirect

from .audit import request_actor
from .selectors import roles_remembered


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


class AuditActorMiddleware:
    """Makes the signed-in user known to audit events written by model signals during the request, and
    remembers the user's roles for the request (asked for by the menu, the view and the services alike)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with request_actor(request), roles_remembered():
            return self.get_response(request)
