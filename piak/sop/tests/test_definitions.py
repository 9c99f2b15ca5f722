import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from piak.sop.definition import (
    DefinitionInvalid,
    TimeStandard,
    definition_parse,
    parse_waktu,
    shipped_definitions,
)

SOP1 = shipped_definitions()["sop-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 menit", TimeStandard(10, "menit")),
        ("15 Menit", TimeStandard(15, "menit")),
        ("1 hari", TimeStandard(1, "hari")),
        ("2 jam", TimeStandard(2, "jam")),
        ("-", None),
        ("Tergantung waktu persiapan", None),
        ("", None),
    ],
)
def test_parse_waktu(text, expected):
    assert parse_waktu(text) == expected


def test_one_day_is_one_working_day_of_the_calendar():
    assert parse_waktu("1 hari").minutes(480) == 480
    assert parse_waktu("2 jam").minutes(480) == 120


@pytest.mark.parametrize("text", ["sebentar", "0 menit", "10 detik"])
def test_unknown_waktu_is_refused(text):
    with pytest.raises(ValueError, match="tidak dikenali"):
        parse_waktu(text)


def test_the_three_shipped_sops_are_valid():
    definitions = {stem: definition_parse(text) for stem, text in shipped_definitions().items()}
    assert {stem: len(d.langkah) for stem, d in definitions.items()} == {"sop-1": 6, "sop-2": 7, "sop-3": 6}
    sop1 = definitions["sop-1"]
    assert [s.pelaksana for s in sop1.langkah] == [
        "kasi_ppd",
        "kabid_piak",
        "kabid_piak",
        "sekretaris",
        "kepala_dinas",
        "kasi_ppd",
    ]
    assert [s.kembali_ke for s in sop1.langkah] == [(), (1,), (1,), (1,), (1,), ()]
    assert definitions["sop-2"].step(4).kembali_ke == (3,)
    assert definitions["sop-3"].step(2).pelaksana == "kasi_tksdm_tik"


def _broken(change) -> str:
    data = yaml.safe_load(SOP1)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("nama"), "'nama' wajib diisi"),
        (lambda d: d["langkah"][1].update(pelaksana="bupati"), "langkah ke-2 → pelaksana: 'bupati' bukan"),
        (lambda d: d["langkah"][1].update(jenis="tanda"), "langkah ke-2 → jenis: harus salah satu"),
        (
            lambda d: d["langkah"][2].update(waktu="sebentar"),
            "langkah ke-3 → waktu 'sebentar' tidak dikenali",
        ),
        (lambda d: d["langkah"][1].update(kembali_ke=[5]), "langkah ke-2 → kembali_ke: hanya boleh menunjuk"),
        (lambda d: d["langkah"][3].update(nomor=9), "langkah ke-4: 'nomor' harus 4"),
        (lambda d: d["langkah"][0].pop("aktivitas"), "langkah ke-1 → aktivitas: wajib diisi"),
        (lambda d: d.update(dasar_hukum=[]), "'dasar_hukum' wajib berupa daftar"),
        (lambda d: d.update(berkas="surat"), "'berkas' harus salah satu"),
        (lambda d: d["atasan"].update(kasi_ppd="walikota"), "'atasan' wajib memetakan"),
    ],
)
def test_broken_definitions_are_rejected_with_a_clear_message(change, message):
    with pytest.raises(DefinitionInvalid) as error:
        definition_parse(_broken(change))
    assert any(message in e for e in error.value.errors), error.value.errors


def test_all_problems_are_reported_at_once():
    def many(d):
        d.pop("nama")
        d["langkah"][1]["jenis"] = "x"
        d["langkah"][2]["waktu"] = "?"

    with pytest.raises(DefinitionInvalid) as error:
        definition_parse(_broken(many))
    assert len(error.value.errors) == 3


def test_unreadable_yaml_names_the_line():
    with pytest.raises(DefinitionInvalid, match=r"baris 3, kolom 1"):
        definition_parse("kode: sop-x\nnama: [tidak ditutup\n")


def test_sop_check_command_passes_for_shipped_and_fails_for_broken(tmp_path, capsys):
    call_command("sop", "check")
    assert "sop-1: sah" in capsys.readouterr().out
    broken = tmp_path / "rusak.yaml"
    broken.write_text(_broken(lambda d: d["langkah"][1].update(kembali_ke=[4])))
    with pytest.raises(CommandError) as error:
        call_command("sop", "check", str(broken))
    assert "kembali_ke" in str(error.value)


def _piak(*args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.test"}
    return subprocess.run(
        [sys.executable, "-m", "piak.cli", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_piak_sop_check_exit_codes(tmp_path):
    ok = _piak("sop", "check")
    assert ok.returncode == 0, ok.stderr
    broken = tmp_path / "rusak.yaml"
    broken.write_text("kode: sop-x\n")
    bad = _piak("sop", "check", str(broken))
    assert bad.returncode == 1
    assert "'nama' wajib diisi" in bad.stderr
