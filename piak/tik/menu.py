"""Navigation entry of the ICT registers."""

from django.utils.translation import gettext_lazy as _

from piak.core.permissions import user_may

from .permissions import LIHAT_TIK


def tik_menu(user) -> list[dict]:
    return [{"label": _("TIK"), "url_name": "tik:beranda"}] if user_may(user, LIHAT_TIK) else []
