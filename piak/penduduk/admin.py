from django.contrib import admin

from piak.web.admin_readonly import ReadOnlyAdmin

from .models import AksesDataPribadi, KodeReferensi


@admin.register(KodeReferensi)
class KodeReferensiAdmin(ReadOnlyAdmin):
    list_display = ("tabel", "kode", "label", "alias")
    list_filter = ("tabel",)
    search_fields = ("label",)


@admin.register(AksesDataPribadi)
class AksesDataPribadiAdmin(ReadOnlyAdmin):
    """The personal-data access log: visible to the admin, written only by the application."""

    list_display = ("terjadi_pada", "pengguna", "jenis", "objek")
    list_filter = ("jenis",)
    search_fields = ("objek", "pengguna__username")
    date_hierarchy = "terjadi_pada"
