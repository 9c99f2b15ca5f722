from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "piak.core"
    label = "core"
    verbose_name = "Inti: pengguna, jabatan, kalender kerja, jejak audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects login/logout auditing and lockout)
        from .roles import core_defaults_ensure

        post_migrate.connect(core_defaults_ensure, sender=self)
