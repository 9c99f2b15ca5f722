from django.urls import path

from . import views

app_name = "cadangan"
urlpatterns = [path("", views.backup_log, name="log")]
