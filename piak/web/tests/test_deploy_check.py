import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_with_production_settings_reports_nothing():
    env = {
        **os.environ,
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
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.prod", "SECRET_KEY": ""}
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
