"""Local development: the embedded SQLite default, a generated secret key kept in the data folder."""

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY, env_bool


def local_secret_key() -> str:
    """A per-checkout key, created once, so sessions and the audit chain survive restarts."""
    path = DATA_DIR / "secret_key"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = SECRET_KEY or local_secret_key()
# Off by default, so `make run` shows the office's error pages; DEBUG=1 brings back Django's debug pages.
DEBUG = env_bool("DEBUG", False)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
PIAK_DEMO = env_bool("PIAK_DEMO", True)  # `make run`: the demo city and its synthetic data
