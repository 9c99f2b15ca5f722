from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PendudukConfig(AppConfig):
    name = "piak.penduduk"
    label = "penduduk"
    verbose_name = "Penduduk"

    def ready(self) -> None:
        from . import events, permissions  # noqa: F401  (registers audit actions and permissions)
        from .services import kode_referensi_load_on_migrate

        post_migrate.connect(kode_referensi_load_on_migrate, sender=self)
