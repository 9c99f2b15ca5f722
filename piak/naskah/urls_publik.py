"""Pages for agencies and the public: no login."""

from django.urls import path

from . import views_publik

app_name = "naskah_publik"

urlpatterns = [
    path("verifikasi/<str:token>/", views_publik.verification, name="verifikasi"),
    path("unduh/<str:token>/", views_publik.download_page, name="unduh"),
    path("unduh/<str:token>/berkas/<int:index>/", views_publik.download_file, name="unduh_berkas"),
    path("unduh/<str:token>/terima/", views_publik.acknowledge, name="terima"),
]
