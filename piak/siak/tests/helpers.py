"""Register work as step 7's performer does it: an import applied, births recorded."""

from datetime import date

from piak.core.audit import Actor
from piak.penduduk import services as penduduk
from piak.penduduk.models import Impor, Keluarga, Penduduk
from piak.penduduk.tests.helpers import KK, family, person, wife, write_csv

NAMES = dict(
    enumerate(
        [
            "-",
            "Satu",
            "Dua",
            "Tiga",
            "Empat",
            "Lima",
            "Enam",
            "Tujuh",
            "Delapan",
            "Sembilan",
            "Sepuluh",
            "Sebelas",
            "Duabelas",
        ]
    )
)


def import_apply(tmp_path, user) -> Impor:
    path = write_csv(tmp_path / "siak.csv", family())
    impor = penduduk.impor_daftar(berkas=path, nama_asli="siak.csv", lewati_tidak_valid=False, pengguna=user)
    return penduduk.impor_proses(impor=impor)


def births_record(user, count: int, first: int = 1) -> None:
    keluarga = Keluarga.objects.get(no_kk=KK)
    for n in range(first, first + count):
        penduduk.kelahiran_catat(
            keluarga=keluarga,
            nik=f"16710141022600{n:02d}",
            nama=f"Anak Uji {NAMES[n]}",
            jenis_kelamin=2,
            tempat_lahir="Palembang",
            tanggal_lahir=date(2026, 2, 1),
            tanggal_lapor=date(2026, 2, 10),
            ibu=Penduduk.objects.get(nik=wife()["NIK"]),
            ayah=Penduduk.objects.get(nik=person()["NIK"]),
            actor=Actor(user, "staf"),
        )
