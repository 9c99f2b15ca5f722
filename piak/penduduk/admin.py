from django.contrib import admin

from piak.web.admin_readonly import ReadOnlyAdmin

from .models import KodeReferensi


@admin.register(KodeReferensi)
class KodeReferensiAdmin(ReadOnlyAdmin):
    list_display = ("tabel", "kode", "label", "alias")
    list_filter = ("tabel",)
    search_fields = ("label",)
