"""Navigation entries of the population register, for the roles that may use each page."""

from django.utils.translation import gettext_lazy as _

from piak.core.permissions import user_may

from .permissions import IMPOR_PENDUDUK, LIHAT_LOG_AKSES, LIHAT_REGISTER, PERIKSA_DATA

ENTRIES = [
    (LIHAT_REGISTER, _("Register penduduk"), "penduduk:cari"),
    (IMPOR_PENDUDUK, _("Impor SIAK"), "penduduk:impor"),
    (PERIKSA_DATA, _("Kualitas data"), "penduduk:kualitas"),
    (LIHAT_LOG_AKSES, _("Log akses"), "penduduk:log_akses"),
]


def penduduk_menu(user) -> list[dict]:
    return [{"label": label, "url_name": url} for permission, label, url in ENTRIES if user_may(user, permission)]
