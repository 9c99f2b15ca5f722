from decimal import Decimal

from piak.wilayah.models import Kecamatan, Kelurahan, Kota
from piak.wilayah.services import wilayah_load


def test_palembang_has_18_kecamatan_and_107_kelurahan(db):
    assert Kota.objects.get().nama == "Kota Palembang"
    assert Kecamatan.objects.count() == 18
    assert Kelurahan.objects.count() == 107


def test_codes_and_both_spellings_are_kept(db):
    kelurahan = Kelurahan.objects.select_related("kecamatan").get(kode="16.71.01.1001")
    assert kelurahan.nama == "35 Ilir"
    assert kelurahan.nama_kepmendagri == "Tiga-puluh-lima Ilir"
    assert kelurahan.kecamatan.nama == "Ilir Barat II"
    assert kelurahan.kecamatan.kode_bps == "1671010"


def test_areas_keep_basis_and_certainty_and_unknown_stays_empty(db):
    sukarami = Kecamatan.objects.get(nama="Sukarami")
    assert sukarami.luas_km2 == Decimal("51.46")
    assert sukarami.luas_kepastian == "uncertain"
    unknown = Kecamatan.objects.filter(luas_km2__isnull=True)
    assert sorted(unknown.values_list("nama", flat=True)) == ["Ilir Timur II", "Ilir Timur Tiga"]
    assert all(k.luas_kepastian == "unknown" for k in unknown)


def test_loading_twice_changes_nothing(db):
    before = list(Kelurahan.objects.values_list("kode", "nama", "kecamatan_id"))
    assert wilayah_load() == {"kecamatan": 18, "kelurahan": 107}
    assert list(Kelurahan.objects.values_list("kode", "nama", "kecamatan_id")) == before


def test_alternative_kecamatan_spellings_are_kept(db):
    assert Kecamatan.objects.get(kode="16.71.18").nama_lain == "Ilir Timur III"
    assert Kecamatan.objects.get(kode="16.71.15").nama_lain == "Alang-Alang Lebar"
    assert Kecamatan.objects.get(kode="16.71.01").nama_lain == ""
