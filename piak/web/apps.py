from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "piak.web"
    label = "web"
    verbose_name = "Tampilan web"


class PiakAdminConfig(admin_apps.AdminConfig):
    """Django's admin with PIAK's site: open to the Admin role only."""

    default = False
    default_site = "piak.web.admin_site.PiakAdminSite"
