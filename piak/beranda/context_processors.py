from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piak.core import roles
from piak.core.permissions import PERMISSIONS
from piak.core.selectors import acting_awaiting_confirmation, roles_of_user_on
from piak.penduduk.menu import penduduk_menu
from piak.sop.models import Notification
from piak.sop.permissions import SOP_MONITOR
from piak.tik.menu import tik_menu


def navigation(request) -> dict:
    """The roles the signed-in user may act in today and the menu they open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    holdings = roles_of_user_on(user=user, on=timezone.localdate())
    role_codes = {h.role_id for h in holdings}
    menu = [{"label": _("Beranda"), "url_name": "home"}]
    if role_codes:
        menu += [
            {"label": _("Tugas Saya"), "url_name": "sop:inbox"},
            {"label": _("Berkas"), "url_name": "sop:cases"},
            {"label": _("SOP"), "url_name": "sop:list"},
            {"label": _("Permintaan Data"), "url_name": "naskah:permintaan_list"},
            {"label": _("Register Surat"), "url_name": "naskah:register"},
            {"label": _("Penomoran"), "url_name": "naskah:nomor"},
        ]
    if role_codes:  # every PIAK role may read the statistics (statistik.view)
        menu.append({"label": _("Statistik"), "url_name": "statistik:snapshots"})
    if role_codes & PERMISSIONS[SOP_MONITOR][1]:
        menu.append({"label": _("Kepatuhan"), "url_name": "sop:compliance"})
    menu += penduduk_menu(user)
    menu += tik_menu(user)
    if role_codes & {roles.KEPALA_DINAS, roles.SEKRETARIS}:
        awaiting = len(acting_awaiting_confirmation(user=user, on=timezone.localdate()))
        if awaiting:
            menu.append(
                {"label": _("Konfirmasi Plt/Plh (%(n)d)") % {"n": awaiting}, "url_name": "core:acting_confirmations"}
            )
    if "admin" in role_codes:
        menu.append({"label": _("Administrasi"), "url_name": "admin:index"})
    if user.is_superuser or roles.ADMIN in role_codes:  # core.permissions.is_admin without a second query
        menu.append({"label": _("Cadangan"), "url_name": "cadangan:log"})
    unread = Notification.objects.filter(user=user, dibaca_pada__isnull=True).count()
    return {"today_holdings": holdings, "nav_menu": menu, "unread_notifications": unread}
