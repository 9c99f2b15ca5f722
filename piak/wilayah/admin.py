from django.contrib import admin

from piak.core.admin_readonly import ReadOnlyAdmin

from .models import Kecamatan, Kelurahan


@admin.register(Kecamatan)
class KecamatanAdmin(ReadOnlyAdmin):
    list_display = ("kode", "nama", "nama_lain", "kode_bps", "luas_km2", "luas_kepastian", "luas_basis")


@admin.register(Kelurahan)
class KelurahanAdmin(ReadOnlyAdmin):
    list_display = ("kode", "nama", "nama_kepmendagri", "kecamatan")
    list_filter = ("kecamatan",)
    search_fields = ("nama", "nama_kepmendagri", "kode")
