from django.urls import path

from . import views

app_name = "penduduk"
urlpatterns = [
    path("", views.cari, name="cari"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/mati/", views.mati, name="mati"),
    path("<int:pk>/pindah-keluar/", views.pindah_keluar, name="pindah_keluar"),
    path("<int:pk>/koreksi/", views.koreksi_pilih, name="koreksi_pilih"),
    path("<int:pk>/koreksi/<str:kolom>/", views.koreksi_ubah, name="koreksi_ubah"),
    path("<int:pk>/data-ganda/", views.tandai_ganda, name="tandai_ganda"),
    path("koreksi/", views.koreksi_riwayat, name="koreksi_riwayat"),
    path("koreksi/<int:pk>/dokumen/", views.koreksi_dokumen, name="koreksi_dokumen"),
    path("keluarga/<int:pk>/", views.keluarga, name="keluarga"),
    path("keluarga/<int:pk>/lahir/", views.lahir, name="lahir"),
    path("pindah-masuk/", views.pindah_masuk, name="pindah_masuk"),
    path("kualitas-data/", views.kualitas, name="kualitas"),
    path("log-akses/", views.log_akses, name="log_akses"),
    path("impor/", views.impor, name="impor"),
    path("impor/<int:pk>/", views.impor_status, name="impor_status"),
    path("impor/<int:pk>/laporan/", views.impor_laporan, name="impor_laporan"),
]
