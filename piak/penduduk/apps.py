from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PendudukConfig(AppConfig):
    name = "piak.penduduk"
    label = "penduduk"
    verbose_name = "Penduduk"

    def ready(self) -> None:
        from .services import kode_referensi_load_on_migrate

        post_migrate.connect(kode_referensi_load_on_migrate, sender=self)
