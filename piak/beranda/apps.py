from django.apps import AppConfig


class BerandaConfig(AppConfig):
    """The top floor: the home page, the dashboards, the health page and the demo; it may import every app."""

    name = "piak.beranda"
    label = "beranda"
    verbose_name = "Beranda dan dasbor"
