from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from piak.beranda import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", views.sehat, name="sehat"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.login_code, name="login_code"),
    path("akun/", include("piak.web.urls_akun")),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("jabatan/", include("piak.core.urls")),
    path("cadangan/", include("piak.core.urls_cadangan")),
    path("", include("piak.sop.urls")),
    path("naskah/", include("piak.naskah.urls")),
    path("siak/", include("piak.siak.urls")),
    path("tik/", include("piak.tik.urls")),
    path("", include("piak.naskah.urls_publik")),
    path("statistik/", include("piak.statistik.urls")),
    path("penduduk/", include("piak.penduduk.urls")),
]

# Rendered without the request (no context processors, no database), so it shows even when those fail.
handler500 = "piak.web.error_views.server_error"
