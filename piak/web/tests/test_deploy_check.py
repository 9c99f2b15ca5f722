"""`piak check --deploy` with production settings: clean when configured properly; the public address
(PIAK_PUBLIC_URL) is required and must be https."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "piak.settings.prod",
    "SECRET_KEY": "x" * 60 + "-deploy-check-secret-key-with-enough-entropy-0a9b8c7d",
    "PIAK_PUBLIC_URL": "https://piak.palembang.go.id",
    "PIAK_DATA_DIR": str(ROOT / "var" / "deploy-check"),
}


def piak(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`piak ARGS` in a fresh process, without what the browser tests set for themselves (never in production)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PIAK_PUBLIC_URL")}
    return subprocess.run(
        [sys.executable, "-m", "piak.cli", *args],
        cwd=ROOT, env={**environ, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_check_deploy_with_production_settings_reports_nothing():
    result = piak("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = piak("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY harus diisi" in result.stderr


def test_production_refuses_to_start_without_a_public_address():
    result = piak("check", **{**PRODUCTION, "PIAK_PUBLIC_URL": ""})
    assert result.returncode != 0
    assert "PIAK_PUBLIC_URL harus diisi" in result.stderr


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("http://piak.palembang.go.id", "tidak memakai https"),
        ("piak.palembang.go.id", "bukan alamat lengkap"),
        ("https://piak.palembang.go.id/piak/", "memuat path"),
    ],
)
def test_check_deploy_reports_a_public_address_that_agencies_cannot_use(address, problem):
    result = piak("check", "--deploy", **{**PRODUCTION, "PIAK_PUBLIC_URL": address})
    assert result.returncode == 1
    assert "piak.E001" in result.stderr and f"PIAK_PUBLIC_URL {problem}" in result.stderr


def test_the_public_host_is_allowed_and_trusted_for_csrf():
    result = piak(
        "shell", "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS)",
        **{**PRODUCTION, "ALLOWED_HOSTS": "piak.internal"},
    )  # fmt: skip
    assert (
        result.stdout.strip().splitlines()[-1]
        == "['piak.palembang.go.id', 'piak.internal'] ['https://piak.palembang.go.id']"
    )


def test_make_run_sets_the_public_address_from_its_port():
    environ = {k: v for k, v in os.environ.items() if k != "PIAK_PUBLIC_URL"}
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=18801"], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    )
    assert "PIAK berjalan di http://127.0.0.1:18801/" in dry_run.stdout
