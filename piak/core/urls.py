from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("konfirmasi/", views.acting_confirmations, name="acting_confirmations"),
    path("konfirmasi/<int:pk>/konfirmasi/", views.acting_confirm, name="acting_confirm"),
    path("konfirmasi/<int:pk>/tolak/", views.acting_reject, name="acting_reject"),
]
