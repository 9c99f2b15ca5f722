"""Test settings: fast hashing, in-memory email, the database chosen by DATABASE_URL as in production."""

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-use-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ALLOWED_HOSTS = ["*"]
PIAK_DEMO = False  # tests that need a demo instance say so with the `settings` fixture
