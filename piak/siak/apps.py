from django.apps import AppConfig


class SiakConfig(AppConfig):
    """SOP 2's work: what its steps prepare, enter, record and maintain, tied to the case."""

    name = "piak.siak"
    label = "siak"
    verbose_name = "Pelaksanaan SIAK (SOP 2)"

    def ready(self) -> None:
        from piak.sop.handlers import register

        from .sop_steps import Sop2Handler

        register(Sop2Handler())
