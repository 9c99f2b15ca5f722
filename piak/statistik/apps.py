from django.apps import AppConfig


class StatistikConfig(AppConfig):
    name = "piak.statistik"
    label = "statistik"
    verbose_name = "Statistik"

    def ready(self) -> None:
        from . import events, permissions  # noqa: F401  (register audit actions and permissions)
