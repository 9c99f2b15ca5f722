from django.urls import path

from . import views

app_name = "siak"
urlpatterns = [
    path("berkas/<int:pk>/penyiapan/<slug:jenis>/", views.penyiapan, name="penyiapan"),
    path("berkas/<int:pk>/pemeliharaan/", views.pemeliharaan, name="pemeliharaan"),
    path("berkas/<int:pk>/tautkan/", views.tautkan, name="tautkan"),
    path("berkas/<int:pk>/tautan/<int:catatan_pk>/lepas/", views.lepas, name="lepas"),
]
