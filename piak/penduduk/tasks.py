"""Background work of the penduduk app: the web upload's import, run by `piak db_worker`."""

import json
from pathlib import Path

from django.conf import settings
from django.tasks import task

from .models import Impor

IMPORT_DIR = "impor"


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(impor_id: int) -> Path:
    return import_dir() / f"{impor_id}.progress.json"


def progress_read(impor_id: int) -> dict:
    """The running import's progress; a file, because the import's own transaction hides its rows."""
    try:
        return json.loads(progress_path(impor_id).read_text())
    except (OSError, ValueError):
        return {"fraction": 0.0, "label": "menunggu"}


class FileProgress:
    def __init__(self, impor_id: int) -> None:
        self.path = progress_path(impor_id)
        self.last = -1

    def __call__(self, fraction: float, label: str) -> None:
        percent = int(fraction * 100)
        if percent != self.last:
            self.last = percent
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"fraction": fraction, "label": label}))
            temporary.replace(self.path)


@task
def impor_jalankan(impor_id: int) -> None:
    from .services import impor_proses

    impor_proses(impor=Impor.objects.get(pk=impor_id), progress=FileProgress(impor_id))
