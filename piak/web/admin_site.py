from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from piak.core.selectors import holding_for


class PiakAdminSite(admin.AdminSite):
    """Django's admin, open to whoever may act as Admin today (definitively or as Plt/Plh).

    Anyone else who is signed in gets the Indonesian 403 page; only an anonymous visitor is sent to the login.
    """

    site_header = "Administrasi PIAK"
    site_title = "Administrasi PIAK"
    index_title = "Data referensi, pengguna dan jabatan"
    enable_nav_sidebar = False  # the lists (role holdings above all) need the width on a tablet or laptop

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and holding_for(user=user, role="admin", on=timezone.localdate()) is not None
        )

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_signed_in_non_admins(request, *args, **kwargs):
            # Django would send them to the login, which sends a signed-in user back here: a loop.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return refuse_signed_in_non_admins

    def login(self, request, extra_context=None):
        # One login page for the whole system, with its lockout; the admin's own form is not used.
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or request.path.removesuffix("login/"))
        if self.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied
