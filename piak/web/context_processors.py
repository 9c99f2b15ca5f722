from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piak.core.selectors import roles_of_user_on
from piak.penduduk.menu import penduduk_menu


def navigation(request) -> dict:
    """The roles the signed-in user may act in today and the menu they open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    holdings = roles_of_user_on(user=user, on=timezone.localdate())
    role_codes = {h.role_id for h in holdings}
    menu = [{"label": _("Beranda"), "url_name": "home"}]
    menu += penduduk_menu(user)
    if "admin" in role_codes:
        menu.append({"label": _("Administrasi"), "url_name": "admin:index"})
    return {"today_holdings": holdings, "nav_menu": menu}
