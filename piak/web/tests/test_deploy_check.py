import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _clean_environ() -> dict[str, str]:
    """The environment without what the browser tests set for themselves (never set in production)."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_with_production_settings_reports_nothing():
    env = {
        **_clean_environ(),
        "DJANGO_SETTINGS_MODULE": "piak.settings.prod",
        "SECRET_KEY": "x" * 60 + "-deploy-check-secret-key-with-enough-entropy-0a9b8c7d",
        "ALLOWED_HOSTS": "piak.palembang.go.id",
        "PIAK_DATA_DIR": str(ROOT / "var" / "deploy-check"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "piak.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**_clean_environ(), "DJANGO_SETTINGS_MODULE": "piak.settings.prod", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "piak.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY harus diisi" in result.stderr
