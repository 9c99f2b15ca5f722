"""Freezing the registry (piak.penduduk) into snapshot rows."""

from datetime import date

from django.apps import apps

from piak.statistik.registry import completed_years, snapshot_rows_from_registry


def test_completed_years_at_the_cut_off():
    assert completed_years(date(2000, 6, 30), date(2026, 6, 30)) == 26
    assert completed_years(date(2000, 7, 1), date(2026, 6, 30)) == 25
    assert completed_years(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert completed_years(None, date(2026, 6, 30)) is None


def test_registry_rows_are_the_residents_present_at_the_cut_off(db, snapshot_dir):
    from piak.statistik.services import snapshot_create

    Keluarga, Penduduk, Peristiwa = (apps.get_model("penduduk", n) for n in ("Keluarga", "Penduduk", "Peristiwa"))
    family = Keluarga.objects.create(
        no_kk="1671010101200001", kelurahan_id="16.71.01.1001", rw=1, rt=2, alamat="Jl. Uji"
    )

    def resident(nik, born, **fields):
        base = {"keluarga": family, "nama": "Uji", "jenis_kelamin": 1, "tempat_lahir": "Palembang",
                "tanggal_lahir": born, "agama": 1, "status_kawin": 1, "shdk": 4}  # fmt: skip
        return Penduduk.objects.create(nik=nik, **(base | fields))

    resident("1671010107000001", date(2000, 7, 1), shdk=1, status_kawin=2)  # 25 at the cut-off
    died = resident("1671010101500002", date(1950, 1, 1), hadir_sampai=date(2026, 3, 1), status="mati")
    resident("1671010507260003", date(2026, 7, 5), hadir_sejak=date(2026, 7, 5))  # born after the cut-off
    resident("1671010101900004", date(1990, 1, 1), hadir_sampai=date(2026, 7, 1))  # left the day after
    Peristiwa.objects.create(
        penduduk=died, jenis="mati", tanggal_peristiwa=date(2026, 3, 1), tanggal_lapor=date(2026, 3, 2),
        kelurahan_id="16.71.01.1001",
    )  # fmt: skip
    penduduk, peristiwa, sumber = snapshot_rows_from_registry(date(2026, 6, 30))
    assert sorted(penduduk.column("umur").to_pylist()) == [25, 36]
    assert peristiwa.column("jenis").to_pylist() == ["mati"]
    assert sumber["jumlah_peristiwa_sampai_potong"] == 1
    snapshot = snapshot_create(cutoff=date(2026, 6, 30), penduduk=penduduk, peristiwa=peristiwa, sumber=sumber)
    assert (snapshot.jumlah_baris, snapshot.jumlah_peristiwa) == (2, 1)
