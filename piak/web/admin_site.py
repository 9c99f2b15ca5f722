from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from piak.core.selectors import holding_for


class PiakAdminSite(admin.AdminSite):
    """Django's admin, open to whoever may act as Admin today (definitively or as Plt/Plh)."""

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

    def login(self, request, extra_context=None):
        # One login page for the whole system, with its lockout; the admin's own form is not used.
        return redirect_to_login(request.get_full_path())
