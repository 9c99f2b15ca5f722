from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SopConfig(AppConfig):
    name = "piak.sop"
    label = "sop"
    verbose_name = "SOP dan alur kerja"

    def ready(self) -> None:
        from .services import sop_shipped_ensure

        post_migrate.connect(sop_shipped_ensure, sender=self)
