from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WilayahConfig(AppConfig):
    name = "piak.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah"

    def ready(self) -> None:
        from .services import wilayah_load_on_migrate

        post_migrate.connect(wilayah_load_on_migrate, sender=self)
