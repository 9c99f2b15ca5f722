"""Production: every secret and host comes from the environment; HTTPS everywhere, behind Caddy."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, env_bool, env_list

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY harus diisi lewat variabel lingkungan.")

# The address printed in every QR code and link sent out; `check --deploy` also requires https (piak.web.links).
PIAK_PUBLIC_URL = os.environ.get("PIAK_PUBLIC_URL", "").strip()
if not PIAK_PUBLIC_URL:
    raise ImproperlyConfigured(
        "PIAK_PUBLIC_URL harus diisi lewat variabel lingkungan, mis. https://piak.palembang.go.id "
        "(alamat yang dicetak di kode QR surat dan di tautan untuk instansi)."
    )
# The public host is always allowed; ALLOWED_HOSTS may add others (e.g. an internal name).
ALLOWED_HOSTS = [
    host for host in dict.fromkeys([urlsplit(PIAK_PUBLIC_URL).hostname or "", *env_list("ALLOWED_HOSTS")]) if host
]
CSRF_TRUSTED_ORIGINS = [PIAK_PUBLIC_URL.rstrip("/")]

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Caddy terminates TLS and says so in X-Forwarded-Proto; it also names the client in X-Forwarded-For.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PIAK_TRUSTED_PROXIES = env_list("PIAK_TRUSTED_PROXIES", "127.0.0.1,::1")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Static files from STATIC_ROOT (`piak collectstatic`) through WhiteNoise, with hashed names (cached for
# good); Caddy compresses responses, so the files are not stored compressed.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
