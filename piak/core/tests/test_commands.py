import pytest
from django.core.management import CommandError, call_command

from piak.core.cli_support import command_name
from piak.core.demo import DEMO_OFFICIALS
from piak.core.models import DayOff, User


def test_hyphenated_command_names_map_to_django_commands():
    assert command_name("verify-audit") == "verify_audit"
    assert command_name("--help") == "--help"


def test_demo_users_refuses_outside_a_demo_instance(db):
    with pytest.raises(CommandError, match="hanya untuk pengembangan"):
        call_command("demo_users")


def test_demo_users_creates_one_user_per_role_and_prints_logins(db, capsys):
    call_command("demo_users", "--force")
    call_command("demo_users", "--force")  # idempotent
    output = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_OFFICIALS)
    for official in DEMO_OFFICIALS:
        assert official.username in output
        assert User.objects.get(username=official.username).check_password(official.password)
        assert official.password in output
    assert len({official.password for official in DEMO_OFFICIALS}) == len(DEMO_OFFICIALS)  # one each
    assert "Plh. Kepala Bidang" in output
    assert "harus mengganti kata sandi" in output  # the suite's settings are not a demo instance


def test_load_reference_seeds_cuti_bersama_once(db, capsys):
    call_command("load_reference")
    seeded = DayOff.objects.count()
    assert seeded > 0
    call_command("load_reference")
    assert DayOff.objects.count() == seeded
    assert "18 kecamatan, 107 kelurahan" in capsys.readouterr().out
