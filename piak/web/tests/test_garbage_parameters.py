"""Every GET page of the URLconf, with garbage query parameters, answers 4xx or a page — never a 500.

The office's demo (officials, a small register, ten weeks of SOP work with letters, snapshots, notices) fills
the path parameters with real objects, so each view gets past its lookup and reads the parameters.
"""

from datetime import datetime

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from piak.core.models import RoleHolding, User
from piak.core.worktime import WIB

# The parameters the views read (tahun, versi, q, next, status, awal/akhir, a/b), and common ones.
GARBAGE = [
    {"tahun": "abc", "versi": "abc", "page": "-1", "q": "\x00", "bulan": "99", "status": "'\"<x>", "next": "//x.ex"},
    {"tahun": "99999999999999999999999", "versi": "99999999999999999999999", "page": "1e9", "bulan": "-1"},
    {"awal": "abc", "akhir": "2026-13-45", "a": "abc", "b": "-1", "kecamatan": "\x00", "format": "exe"},
    {"awal": "2026-12-31", "akhir": "2026-01-01", "a": "99999999999999999999999", "b": "", "q": "1" * 5000},
    {"tahun": "", "versi": "", "q": "", "status": "", "awal": "", "akhir": ""},
]
# Routes not swept: Django's own admin and language switch, and signing out (it ends the session).
SKIPPED_PREFIXES = ("admin/", "i18n/", "keluar/")


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _first_pk(model) -> int:
    obj = model.objects.order_by("pk").first()
    return obj.pk if obj else 999_999


def _objects() -> dict[str, object]:
    """A real value for each path parameter, by the route's start (the most specific start wins)."""
    from piak.naskah.models import ArsipBerkas, BlokNomor, Lampiran, Naskah, Pengiriman, PermintaanData
    from piak.naskah.selectors import delivery_token
    from piak.penduduk.models import Impor, Keluarga, Penduduk
    from piak.sop.models import Case, ComplianceExport, Notification
    from piak.statistik.models import Snapshot
    from piak.wilayah.models import Kecamatan

    signed = Naskah.objects.exclude(token_verifikasi="").order_by("pk").first()
    delivery = Pengiriman.objects.order_by("pk").first()
    return {
        "jabatan/konfirmasi/": _first_pk(RoleHolding),
        "sop/surat/": _first_pk(Naskah),
        "sop/permintaan/": _first_pk(PermintaanData),
        "berkas/": _first_pk(Case),
        "kepatuhan/pdf/": _first_pk(ComplianceExport),
        "notifikasi/": _first_pk(Notification),
        "naskah/permintaan/": _first_pk(PermintaanData),
        "naskah/pengiriman/": _first_pk(Pengiriman),
        "naskah/arsip/berkas/": _first_pk(ArsipBerkas),
        "naskah/nomor/cadangan/": _first_pk(BlokNomor),
        "naskah/": signed.pk if signed else _first_pk(Naskah),
        "penduduk/keluarga/": _first_pk(Keluarga),
        "penduduk/impor/": _first_pk(Impor),
        "penduduk/": _first_pk(Penduduk),
        "lampiran_pk": _first_pk(Lampiran),
        "snapshot_id": _first_pk(Snapshot),
        "kecamatan": Kecamatan.objects.order_by("pk").first().kode,
        "token_verifikasi": signed.token_verifikasi if signed else "tidak-ada",
        "token_unduh": delivery_token(delivery) if delivery else "tidak-ada",
    }


def _fill(route: str, objects: dict[str, object]) -> str:
    """The route with its converters replaced by real values."""
    pk = next((value for start, value in objects.items() if "/" in start and route.startswith(start)), 1)
    values = {
        "<int:pk>": pk,
        "<slug:kode>": "sop-1",
        "<str:kode>": objects["kecamatan"],
        "<int:nomor>": 1,
        "<int:nomor_versi>": 1,
        "<int:lampiran_pk>": objects["lampiran_pk"],
        "<int:snapshot_id>": objects["snapshot_id"],
        "<int:number>": 1,
        "<int:index>": 0,
        "<slug:action>": "paraf",
        "<str:kolom>": "nama",
        "<slug:jenis>": "kualitas-data",
        "<int:catatan_pk>": 1,
        "<str:token>": objects["token_verifikasi" if route.startswith("verifikasi/") else "token_unduh"],
    }
    for converter, value in values.items():
        route = route.replace(converter, str(value))
    assert "<" not in route, f"no value for a parameter of {route}"
    return "/" + route


@pytest.fixture
def demo_office(db, tmp_path, settings, signer_dir):
    """`make run`'s office: the demo officials, a 300-person register, ten weeks of SOP work and a running task
    worker (so `/sehat/` is healthy: its 503 means a failed check, not a broken page)."""
    from piak.beranda.demo import demo_cases_ensure
    from piak.core.demo import demo_officials_ensure
    from piak.core.heartbeat import heartbeat_start
    from piak.penduduk.generator import city_write
    from piak.penduduk.impor.run import import_file

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PIAK_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.PIAK_SIGNER_DIR = signer_dir
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB), tick=False):
        demo_officials_ensure()
    User.objects.update(harus_ganti_sandi=False)
    city_write(tmp_path / "kota.csv", people=300, seed=6)
    assert import_file(tmp_path / "kota.csv").exit_code == 0
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=WIB)):
        demo_cases_ensure()
    heartbeat_start(host="uji", pid=1)
    settings.PIAK_SEHAT_DETAK_BATAS = 3600  # its one beat stays fresh for the minutes the sweep takes


def test_no_page_answers_garbage_parameters_with_a_500(client, demo_office):
    objects = _objects()
    urls = sorted({_fill(route, objects) for route in _routes(get_resolver().url_patterns)})
    assert len(urls) > 60
    failures = []
    client.raise_request_exception = False
    for username in ("kadis", "admin"):  # the leadership's pages, and the Admin's (a superuser)
        client.force_login(User.objects.get(username=username))
        for url in urls:
            for params in GARBAGE:
                status = client.get(url, params).status_code
                if status >= 500:
                    failures.append(f"{username} GET {url} {params} -> {status}")
    assert failures == [], "\n".join(failures)
