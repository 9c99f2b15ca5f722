"""Event recording: births, deaths, moves out and in; impossible sequences are refused."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from piak.core.audit import Actor
from piak.core.errors import DomainError
from piak.core.models import AuditEvent
from piak.penduduk import services
from piak.penduduk.impor.run import import_file
from piak.penduduk.models import JenisPeristiwa, Keluarga, Penduduk, StatusPenduduk
from piak.penduduk.selectors import event_counts_between, events_between, residents_present_on

from .helpers import KK, child, family, person, wife, write_csv

pytestmark = pytest.mark.django_db
ACTOR = Actor(None, "staf")


@pytest.fixture(autouse=True)
def today():
    """Monday 2 March 2026, 10:00 WIB."""
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def kk(tmp_path) -> Keluarga:
    assert import_file(write_csv(tmp_path / "k.csv", family())).exit_code == 0
    return Keluarga.objects.get(no_kk=KK)


def resident(nik: str) -> Penduduk:
    return Penduduk.objects.get(nik=nik)


def birth(kk, **changes) -> Penduduk:
    data = {
        "keluarga": kk,
        "nik": "1671014102260001",
        "nama": "Aisyah Fauzi",
        "jenis_kelamin": 2,
        "tempat_lahir": "Palembang",
        "tanggal_lahir": date(2026, 2, 1),
        "tanggal_lapor": date(2026, 2, 10),
        "ibu": resident(wife()["NIK"]),
        "ayah": resident(person()["NIK"]),
        "actor": ACTOR,
        **changes,
    }
    return services.kelahiran_catat(**data)


def events_of(action="penduduk.peristiwa"):
    return AuditEvent.objects.filter(action=action)


def test_birth_adds_a_resident_present_from_the_day_of_birth(kk):
    baby = birth(kk)
    assert (baby.nama, baby.shdk, baby.status, baby.hadir_sejak) == (
        "AISYAH FAUZI",
        4,
        "hidup",
        date(2026, 2, 1),
    )
    assert (baby.nik_ibu, baby.nama_ayah) == (wife()["NIK"], "AHMAD FAUZI")
    event = baby.peristiwa.get()
    assert (event.jenis, event.tanggal_lapor, event.kelurahan_id) == (
        "lahir",
        date(2026, 2, 10),
        kk.kelurahan_id,
    )
    audit = events_of().get()
    assert audit.payload["nik"] == baby.nik and audit.role == "staf"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"nik": child()["NIK"]}, "kelahiran_nik_terpakai"),
        ({"nik": "123"}, "nik_format"),
        ({"tanggal_lahir": date(2026, 4, 1), "tanggal_lapor": date(2026, 4, 2)}, "peristiwa_masa_depan"),
        ({"tanggal_lapor": date(2026, 1, 1)}, "peristiwa_lapor_sebelum_peristiwa"),
        ({"nama": "Aisyah 2"}, "nama_tidak_valid"),
    ],
)
def test_impossible_birth_is_refused_and_writes_nothing(kk, changes, code):
    with pytest.raises(DomainError) as refused:
        birth(kk, **changes)
    assert refused.value.code == code and refused.value.message
    assert Penduduk.objects.count() == 3 and not events_of().exists()


def test_birth_to_a_mother_who_was_dead_is_refused(kk):
    services.kematian_catat(
        penduduk=resident(wife()["NIK"]),
        tanggal=date(2026, 1, 5),
        tanggal_lapor=date(2026, 1, 6),
        actor=ACTOR,
    )
    with pytest.raises(DomainError) as refused:
        birth(kk)
    assert refused.value.code == "kelahiran_orang_tua_tidak_hadir"


def test_father_must_be_male(kk):
    with pytest.raises(DomainError) as refused:
        birth(kk, ayah=resident(wife()["NIK"]))
    assert refused.value.code == "kelahiran_orang_tua_salah"


def test_death_ends_presence_and_is_audited(kk):
    ahmad = resident(person()["NIK"])
    services.kematian_catat(penduduk=ahmad, tanggal=date(2026, 1, 5), tanggal_lapor=date(2026, 1, 7), actor=ACTOR)
    ahmad.refresh_from_db()
    assert (ahmad.status, ahmad.hadir_sampai) == (StatusPenduduk.MATI, date(2026, 1, 5))
    assert events_of().get().payload["jenis"] == "mati"


def test_death_after_a_move_out_is_refused_with_a_clear_message(kk):
    rizky = resident(child()["NIK"])
    services.pindah_keluar_catat(
        penduduk=rizky,
        tanggal=date(2026, 1, 10),
        tanggal_lapor=date(2026, 1, 10),
        tingkat=3,
        alamat_tujuan="Jl. Thamrin, Jakarta",
        actor=ACTOR,
    )
    with pytest.raises(DomainError) as refused:
        services.kematian_catat(penduduk=rizky, tanggal=date(2026, 2, 1), tanggal_lapor=date(2026, 2, 2), actor=ACTOR)
    assert refused.value.code == "peristiwa_sudah_pindah"
    assert "sudah pindah keluar pada 10-01-2026" in refused.value.message
    assert events_of().count() == 1


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ("twice", "peristiwa_sudah_mati"),
        ("before_birth", "peristiwa_sebelum_lahir"),
        ("move_after_death", "peristiwa_sudah_mati"),
    ],
)
def test_impossible_death_or_move_is_refused(kk, record, code):
    ahmad = resident(person()["NIK"])
    dates = {"tanggal": date(2026, 1, 5), "tanggal_lapor": date(2026, 1, 6), "actor": ACTOR}
    if record == "before_birth":
        with pytest.raises(DomainError) as refused:
            services.kematian_catat(penduduk=ahmad, **{**dates, "tanggal": date(1970, 1, 1)})
    else:
        services.kematian_catat(penduduk=ahmad, **dates)
        with pytest.raises(DomainError) as refused:
            if record == "twice":
                services.kematian_catat(penduduk=ahmad, **dates)
            else:
                services.pindah_keluar_catat(penduduk=ahmad, tingkat=1, alamat_tujuan="x", **dates)
    assert refused.value.code == code


def move_out_to_medan(who: Penduduk) -> None:
    services.pindah_keluar_catat(
        penduduk=who,
        tanggal=date(2026, 1, 10),
        tanggal_lapor=date(2026, 1, 10),
        tingkat=4,
        alamat_tujuan="Medan",
        actor=ACTOR,
    )


def newcomer(**changes) -> services.DataPendatang:
    data = {
        "nik": "3171015507950001",
        "nama": "Dewi Lestari",
        "jenis_kelamin": 2,
        "tempat_lahir": "Jakarta",
        "tanggal_lahir": date(1995, 7, 15),
        "agama": 1,
        "status_kawin": 1,
        "shdk": 1,
        **changes,
    }
    return services.DataPendatang(**data)


NEW_KK = services.KeluargaBaru(
    no_kk="1671020103260001", kelurahan_id="16.71.02.1002", rw=1, rt=2, alamat="Jl. Veteran 5"
)


def test_move_in_with_a_new_family(db):
    dewi = services.pindah_masuk_catat(
        data=newcomer(),
        tanggal=date(2026, 2, 20),
        tanggal_lapor=date(2026, 2, 21),
        alamat_asal="Jakarta Pusat",
        keluarga_baru=NEW_KK,
        actor=ACTOR,
    )
    assert (dewi.keluarga.no_kk, dewi.hadir_sejak, dewi.status) == (
        "1671020103260001",
        date(2026, 2, 20),
        "hidup",
    )
    assert dewi.peristiwa.get().kelurahan_id == "16.71.02.1002"
    assert events_of().count() == 1


def test_move_in_to_an_existing_family(kk):
    dewi = services.pindah_masuk_catat(
        data=newcomer(shdk=9),
        tanggal=date(2026, 2, 20),
        tanggal_lapor=date(2026, 2, 21),
        alamat_asal="Jakarta",
        keluarga=kk,
        actor=ACTOR,
    )
    assert dewi.keluarga == kk and kk.anggota.count() == 4


def test_a_resident_who_moved_out_can_move_back_in(kk):
    rizky = resident(child()["NIK"])
    move_out_to_medan(rizky)
    back = services.pindah_masuk_catat(
        data=newcomer(nik=rizky.nik, nama=rizky.nama, jenis_kelamin=1, tanggal_lahir=rizky.tanggal_lahir, shdk=4),
        tanggal=date(2026, 2, 1),
        tanggal_lapor=date(2026, 2, 2),
        alamat_asal="Medan",
        keluarga=kk,
        actor=ACTOR,
    )
    assert back.pk == rizky.pk and back.status == "hidup" and back.hadir_sampai is None
    assert list(back.peristiwa.values_list("jenis", flat=True)) == ["pindah_keluar", "pindah_masuk"]


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("still_here", "pindah_masuk_masih_hadir"),
        ("new_family_not_head", "pindah_masuk_kk_baru_tanpa_kepala"),
        ("second_head", "pindah_masuk_kepala_ganda"),
        ("kk_taken", "pindah_masuk_kk_terpakai"),
        ("both_targets", "pindah_masuk_keluarga"),
        ("unknown_kelurahan", "wilayah_tidak_dikenal"),
    ],
)
def test_impossible_move_in_is_refused(kk, case, code):
    arguments = {
        "data": newcomer(),
        "tanggal": date(2026, 2, 20),
        "tanggal_lapor": date(2026, 2, 21),
        "alamat_asal": "Jakarta",
        "actor": ACTOR,
    }
    if case == "still_here":
        arguments.update(data=newcomer(nik=person()["NIK"]), keluarga=kk)
    elif case == "new_family_not_head":
        arguments.update(data=newcomer(shdk=4), keluarga_baru=NEW_KK)
    elif case == "second_head":
        arguments.update(keluarga=kk)
    elif case == "kk_taken":
        arguments.update(keluarga_baru=services.KeluargaBaru(KK, "16.71.01.1001", 1, 1, "x"))
    elif case == "unknown_kelurahan":
        arguments.update(keluarga_baru=services.KeluargaBaru("1671020103260009", "16.71.99.1001", 1, 1, "x"))
    else:
        arguments.update(keluarga=kk, keluarga_baru=NEW_KK)
    with pytest.raises(DomainError) as refused:
        services.pindah_masuk_catat(**arguments)
    assert refused.value.code == code


def test_move_in_before_the_move_out_is_refused(kk):
    rizky = resident(child()["NIK"])
    move_out_to_medan(rizky)
    with pytest.raises(DomainError) as refused:
        services.pindah_masuk_catat(
            data=newcomer(nik=rizky.nik, shdk=4, tanggal_lahir=rizky.tanggal_lahir),
            tanggal=date(2026, 1, 5),
            tanggal_lapor=date(2026, 2, 2),
            alamat_asal="Medan",
            keluarga=kk,
            actor=ACTOR,
        )
    assert refused.value.code == "pindah_masuk_sebelum_keluar"


def test_presence_on_a_date_and_events_between_dates(kk):
    baby = birth(kk)
    ahmad = resident(person()["NIK"])
    services.kematian_catat(penduduk=ahmad, tanggal=date(2026, 2, 15), tanggal_lapor=date(2026, 2, 16), actor=ACTOR)
    on = lambda d: set(residents_present_on(d).values_list("nik", flat=True))  # noqa: E731
    everyone = {person()["NIK"], wife()["NIK"], child()["NIK"]}
    assert on(date(2026, 1, 31)) == everyone
    assert on(date(2026, 2, 1)) == everyone | {baby.nik}
    assert on(date(2026, 2, 15)) == everyone - {ahmad.nik} | {baby.nik}
    assert on(date(2009, 1, 1)) == {person()["NIK"], wife()["NIK"]}  # the child was not born yet
    assert events_between(date(2026, 2, 1), date(2026, 2, 14)).get().jenis == JenisPeristiwa.LAHIR
    assert event_counts_between(date(2026, 1, 1), date(2026, 3, 1)) == [
        {"kelurahan_id": "16.71.01.1001", "jenis": "lahir", "jumlah": 1},
        {"kelurahan_id": "16.71.01.1001", "jenis": "mati", "jumlah": 1},
    ]
