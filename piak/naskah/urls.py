from django.urls import path

from . import views

app_name = "naskah"

urlpatterns = [
    path("permintaan/", views.permintaan_list, name="permintaan_list"),
    path("permintaan/baru/", views.permintaan_create, name="permintaan_create"),
    path("permintaan/<int:pk>/", views.permintaan_detail, name="permintaan_detail"),
    path("permintaan/<int:pk>/draf/", views.naskah_draft, name="naskah_draft"),
    path("permintaan/<int:pk>/mulai-sop1/", views.start_for_request, name="start_request"),
    path("<int:pk>/", views.naskah_detail, name="naskah_detail"),
    path("<int:pk>/mulai-sop1/", views.start_for_naskah, name="start_naskah"),
    path("<int:pk>/versi/<int:nomor_versi>.pdf", views.naskah_version_file, name="versi_berkas"),
    path("<int:pk>/lampiran/<int:lampiran_pk>/", views.lampiran_file, name="lampiran_berkas"),
    path("<int:pk>/revisi/", views.naskah_revise, name="revisi"),
    path("<int:pk>/kirim/surel/", views.naskah_send_email, name="kirim_surel"),
    path("<int:pk>/kirim/tautan/", views.naskah_send_link, name="kirim_tautan"),
    path("pengiriman/<int:pk>/terima/", views.pengiriman_acknowledge, name="terima"),
    path("<int:pk>/arsip/", views.naskah_archive, name="arsipkan"),
    path("<int:pk>/cabut/", views.naskah_withdraw, name="cabut"),
    path("passphrase/", views.passphrase, name="passphrase"),
    path("arsip/berkas/<int:pk>/", views.archive_file, name="arsip_berkas"),
    path("register/", views.register, name="register"),
    path("nomor/", views.numbers, name="nomor"),
    path("nomor/cadangan/", views.number_block_reserve, name="nomor_pesan"),
    path("nomor/cadangan/<int:pk>/pakai/", views.number_reserved_use, name="nomor_pakai"),
    path("nomor/cadangan/<int:pk>/batal/", views.number_reserved_void, name="nomor_batal"),
]
