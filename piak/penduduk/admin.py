from django.contrib import admin

from piak.core.admin_readonly import ReadOnlyAdmin
from piak.core.masking import personal_text_mask

from .models import AksesDataPribadi, KodeReferensi


@admin.register(KodeReferensi)
class KodeReferensiAdmin(ReadOnlyAdmin):
    list_display = ("tabel", "kode", "label", "alias")
    list_filter = ("tabel",)
    search_fields = ("label",)


@admin.register(AksesDataPribadi)
class AksesDataPribadiAdmin(ReadOnlyAdmin):
    """The personal-data access log: visible to the Admin (a masked role), written only by the application.

    Entries name residents by masked number and primary key; `data_tersamar` masks again for entries
    written before masking.
    """

    list_display = ("terjadi_pada", "pengguna", "jenis", "data_tersamar", "tujuan", "alamat_ip", "ditolak")
    list_filter = ("jenis",)
    search_fields = ("objek", "pengguna__username")
    date_hierarchy = "terjadi_pada"
    fields = ("terjadi_pada", "pengguna", "jenis", "data_tersamar", "tujuan", "alamat_ip", "ditolak")
    readonly_fields = fields

    @admin.display(description="data", ordering="objek")
    def data_tersamar(self, obj: AksesDataPribadi) -> str:
        return personal_text_mask(obj.objek)
