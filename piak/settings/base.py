"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
# Local state (SQLite database, uploaded files, generated keys) lives outside the package.
DATA_DIR = Path(os.environ.get("PIAK_DATA_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "piak.web.apps.PiakAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "piak.core",
    "piak.wilayah",
    "piak.penduduk",
    "piak.sop",
    "piak.naskah",
    "piak.siak",
    "piak.tik",
    "piak.statistik",
    "piak.web",
    "piak.beranda",
    # After the piak apps, so that penduduk's `db_worker` (the worker with the stopped-import check) wins.
    "django_tasks_db",
]

MIDDLEWARE = [
    "piak.web.forwarded.ForwardedClientMiddleware",
    "piak.web.middleware.DatabaseBusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "piak.web.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "piak.core.middleware.AuditActorMiddleware",
    "piak.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "piak.urls"
WSGI_APPLICATION = "piak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "piak.beranda.context_processors.navigation",
            ],
            "builtins": ["piak.web.templatetags.waktu"],  # `|waktu_wib`: every timestamp in WIB, labelled
        },
    },
]


def database_from_env() -> dict:
    """`DATABASE_URL` selects PostgreSQL; without it an embedded SQLite file in WAL mode is used.

    On PostgreSQL `DATABASE_URL` names the owner of the tables and `DATABASE_APP_URL` the role the
    application runs as (`piak_app`, see `piak db-roles`): that role cannot truncate, change or delete
    the audit chain. Commands that change the schema run as the owner (`PIAK_DB_OWNER=1`, which the
    `piak` script sets for `migrate` and `db-roles`)."""
    url = os.environ.get("DATABASE_URL")
    app_url = os.environ.get("DATABASE_APP_URL")
    if url and app_url and not env_bool("PIAK_DB_OWNER"):
        url = app_url
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "piak.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so read-then-write sequences
            # (audit chain head, numbering) cannot interleave between connections.
            "transaction_mode": "IMMEDIATE",
            # The busy timeout: a writer waits this long for another's write transaction (an import's
            # apply window) before giving up; the busy page (web/middleware.py) then asks to retry.
            "timeout": float(os.environ.get("PIAK_SQLITE_BUSY_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["piak.core.auth.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: after this many failed logins for one username from one address within the window, refuse further
# tries of that username from that address; after LOGIN_IP_FAILURE_LIMIT failures from one address (any
# usernames), refuse every login from it (HTTP 429) until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A form whose CSRF token no longer holds (open too long, signed in again elsewhere) gets the office's page.
CSRF_FAILURE_VIEW = "piak.web.error_views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
FORMAT_MODULE_PATH = ["piak.web.formats"]  # datetimes the admin shows: WIB, labelled (piak.core.waktu)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

# Uploads (piak.web.uploads): the size of one file per kind of field, and the decompression-bomb guard for
# ZIP-based files (XLSX, DOCX) read from their central directory. The SIAK import takes whole-city exports.
PIAK_UPLOAD_MAX_BYTES = int(os.environ.get("PIAK_UPLOAD_MAX_BYTES", str(20 * 1024**2)))
PIAK_UPLOAD_TEXT_MAX_BYTES = int(os.environ.get("PIAK_UPLOAD_TEXT_MAX_BYTES", str(1024**2)))
PIAK_UPLOAD_ZIP_MAX_UNPACKED_BYTES = int(os.environ.get("PIAK_UPLOAD_ZIP_MAX_UNPACKED_BYTES", str(512 * 1024**2)))
PIAK_UPLOAD_ZIP_MAX_MEMBERS = int(os.environ.get("PIAK_UPLOAD_ZIP_MAX_MEMBERS", "10000"))
PIAK_UPLOAD_ZIP_MAX_RATIO = int(os.environ.get("PIAK_UPLOAD_ZIP_MAX_RATIO", "100"))
PIAK_IMPOR_MAX_BYTES = int(os.environ.get("PIAK_IMPOR_MAX_BYTES", str(1024**3)))
PIAK_IMPOR_MAX_UNPACKED_BYTES = int(os.environ.get("PIAK_IMPOR_MAX_UNPACKED_BYTES", str(2 * 1024**3)))
# Uploaded import files (and stale partial uploads) are deleted this many days after the import ended.
PIAK_IMPOR_RETENSI_HARI = int(os.environ.get("PIAK_IMPOR_RETENSI_HARI", "7"))
# The public verification page checks an uploaded PDF in a child process bounded by these.
PIAK_VERIFIKASI_MAX_BYTES = int(os.environ.get("PIAK_VERIFIKASI_MAX_BYTES", str(10 * 1024**2)))
PIAK_VERIFIKASI_MAX_MEMORY_BYTES = int(os.environ.get("PIAK_VERIFIKASI_MAX_MEMORY_BYTES", str(512 * 1024**2)))
PIAK_VERIFIKASI_MAX_INFLATED_BYTES = int(os.environ.get("PIAK_VERIFIKASI_MAX_INFLATED_BYTES", str(64 * 1024**2)))
PIAK_VERIFIKASI_MAX_SECONDS = int(os.environ.get("PIAK_VERIFIKASI_MAX_SECONDS", "15"))
# Every posted file goes to a temporary file, and only up to its field's limit (BoundedUploadHandler);
# form fields other than files are bounded by Django's own limits.
FILE_UPLOAD_HANDLERS = ["piak.web.uploads.BoundedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp" / "unggahan")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Personal data (piak.penduduk): how many register searches one official may run per minute, and error
# reports (DEBUG page, admin e-mail) that mask every NIK/No. KK they would show (piak.web.errors).
PIAK_CARI_PER_MENIT = int(os.environ.get("PIAK_CARI_PER_MENIT", "20"))
DEFAULT_EXCEPTION_REPORTER_FILTER = "piak.web.errors.IdentityMaskingReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "piak.web.errors.IdentityMaskingExceptionReporter"

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "piak@localhost")

# Key of the audit chain HMAC. Rotating it makes existing events unverifiable, so keep it stable.
# It is never stored in the database; the chain's signed checkpoints (piak.core.checkpoints) are
# files outside the database, in a folder the database's users cannot write (docs/audit.md).
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints"))
# Backups (piak.core.backup, docs/backup.md): where `piak backup` and the daily task write archives, how many
# archives the daily task keeps there, and where statistik keeps its frozen snapshots (part of every backup).
PIAK_SNAPSHOT_DIR = Path(os.environ.get("PIAK_SNAPSHOT_DIR", DATA_DIR / "snapshot"))
PIAK_CADANGAN_DIR = Path(os.environ.get("PIAK_CADANGAN_DIR", DATA_DIR / "cadangan"))
PIAK_CADANGAN_SIMPAN = int(os.environ.get("PIAK_CADANGAN_SIMPAN", "7"))
# The PostgreSQL role the application runs as (`piak db-roles` creates it and grants its rights).
PIAK_DB_APP_ROLE = os.environ.get("PIAK_DB_APP_ROLE", "piak_app")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background work (long imports, SLA scans, notifications): Django's tasks framework, stored in the
# database and run by `piak db_worker` (started by `make run`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running import whose worker has not beaten for this many seconds is declared stopped (penduduk/tasks.py).
PIAK_IMPOR_DETAK_BATAS = int(os.environ.get("PIAK_IMPOR_DETAK_BATAS", "60"))
# The worker records that it is alive this often; /sehat/ calls it stopped after PIAK_SEHAT_DETAK_BATAS.
PIAK_DETAK_PEKERJA_DETIK = float(os.environ.get("PIAK_DETAK_PEKERJA_DETIK", "15"))

# /sehat/ (piak.beranda.health): limits of its checks, and who may see figures beyond each check's status —
# a bearer token and client networks (CIDR, comma-separated); both empty by default, so only a signed-in
# Admin sees them. Behind Caddy the client's address is taken from X-Forwarded-For (PIAK_TRUSTED_PROXIES):
# list the monitor's own network, never the proxy's.
PIAK_SEHAT_DETAK_BATAS = float(os.environ.get("PIAK_SEHAT_DETAK_BATAS", "60"))
PIAK_SEHAT_RUANG_MIN_MB = int(os.environ.get("PIAK_SEHAT_RUANG_MIN_MB", "1024"))
PIAK_SEHAT_SERTIFIKAT_HARI = int(os.environ.get("PIAK_SEHAT_SERTIFIKAT_HARI", "30"))
# The newest successful backup must be younger than this many hours (a day and a margin for the daily task).
PIAK_SEHAT_CADANGAN_JAM = int(os.environ.get("PIAK_SEHAT_CADANGAN_JAM", "26"))
PIAK_SEHAT_TOKEN = os.environ.get("PIAK_SEHAT_TOKEN", "")
PIAK_SEHAT_JARINGAN = env_list("PIAK_SEHAT_JARINGAN", "")

# Letters (piak.naskah): number format, the signer class and its key folder, the public address
# printed in QR codes and links sent to agencies, how long a download link stays valid.
PIAK_NOMOR_FORMAT = os.environ.get("PIAK_NOMOR_FORMAT", "470/{seq:04d}/PIAK/{year}")
PIAK_SIGNER = os.environ.get("PIAK_SIGNER", "piak.naskah.signing.LocalPadesSigner")
PIAK_SIGNER_DIR = Path(os.environ.get("PIAK_SIGNER_DIR", DATA_DIR / "signer"))
# Every absolute link is built from it (piak.web.links); `make run` sets it from PORT, production requires it.
PIAK_PUBLIC_URL = os.environ.get("PIAK_PUBLIC_URL", "http://127.0.0.1:8000")
# Reverse proxies whose X-Forwarded-For names the client (piak.web.forwarded); none unless configured.
PIAK_TRUSTED_PROXIES = env_list("PIAK_TRUSTED_PROXIES")
PIAK_TAUTAN_BERLAKU_HARI = int(os.environ.get("PIAK_TAUTAN_BERLAKU_HARI", "14"))

# A demo instance (PIAK_DEMO=true) may hold synthetic data: snapshots generated without the register,
# and a register imported from a generated SIAK export. Every figure from it is stamped
# "DATA SINTETIS — BUKAN DATA RESMI". Off unless the environment says otherwise.
PIAK_DEMO = env_bool("PIAK_DEMO")
