from django.apps import AppConfig


class TikConfig(AppConfig):
    """SOP 3's work: the ICT the office runs on and the people who run it — assets, service checks,
    incidents and outage mode, competence, access reviews, changes — as SPBE evidence."""

    name = "piak.tik"
    label = "tik"
    verbose_name = "Tata Kelola dan SDM, TIK (SOP 3)"
