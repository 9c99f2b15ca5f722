from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "piak.web"
    label = "web"
    verbose_name = "Tampilan web"

    def ready(self) -> None:
        from . import links  # noqa: F401  (registers the public-address deploy check)

        # Posted files are stored here while a request is read (piak.web.uploads.BoundedUploadHandler).
        Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)


class PiakAdminConfig(admin_apps.AdminConfig):
    """Django's admin with PIAK's site: open to the Admin role only."""

    default = False
    default_site = "piak.web.admin_site.PiakAdminSite"
