from django.apps import AppConfig


class NaskahConfig(AppConfig):
    name = "piak.naskah"
    verbose_name = "Naskah dinas"

    def ready(self) -> None:
        # Registering audit actions and permissions happens at import time.
        from piak.sop.handlers import register

        from . import events, permissions  # noqa: F401
        from .sop_steps import Sop1Handler

        register(Sop1Handler())
