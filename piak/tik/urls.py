from django.urls import path

from . import views

app_name = "tik"
urlpatterns = [
    path("", views.beranda, name="beranda"),
]
