from django.urls import path

from . import akun

app_name = "akun"
urlpatterns = [
    path("sandi/", akun.password_change, name="password_change"),
    path("dua-langkah/", akun.second_factor, name="second_factor"),
]
