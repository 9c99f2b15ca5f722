from piak.penduduk.models import KodeReferensi
from piak.penduduk.services import kode_referensi_load


def test_code_tables_are_loaded_with_labels(db):
    assert KodeReferensi.objects.get(tabel="agama", kode=1).label == "ISLAM"
    assert KodeReferensi.objects.get(tabel="jenis_kelamin", kode=2).label == "PEREMPUAN"
    assert KodeReferensi.objects.filter(tabel="pendidikan_kk").count() == 10
    assert KodeReferensi.objects.get(tabel="status_ktp_el.status_rekam", kode=3).label == "SUDAH REKAM"


def test_import_aliases_are_attached_to_their_code(db):
    assert KodeReferensi.objects.get(tabel="status_kawin", kode=1).alias == ["BK"]
    assert sorted(KodeReferensi.objects.get(tabel="jenis_kelamin", kode=1).alias) == ["L", "LK"]


def test_loading_twice_changes_nothing(db):
    count = KodeReferensi.objects.count()
    assert kode_referensi_load() == count
    assert KodeReferensi.objects.count() == count
