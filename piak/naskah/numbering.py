"""Letter numbers: the configurable format, provisional draft numbers, and the locked counter."""

from django.conf import settings

from .models import Penghitung

SURAT = "surat"
ARSIP = "arsip"


class _DraftSeq:
    """Stands in for `seq` in the number format so a draft reads `470/DRAF-0007/PIAK/2026`."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return "DRAF-" + format(self.value, spec)


def nomor_final(*, seq: int, year: int) -> str:
    return settings.PIAK_NOMOR_FORMAT.format(seq=seq, year=year)


def nomor_draf(*, naskah_id: int, year: int) -> str:
    return settings.PIAK_NOMOR_FORMAT.format(seq=_DraftSeq(naskah_id), year=year)


def nomor_register_arsip(*, seq: int, year: int) -> str:
    return f"ARS-PIAK/{year}/{seq:04d}"


def counter_take(*, jenis: str, tahun: int, count: int = 1) -> int:
    """Advance the (jenis, tahun) counter by `count` and return the first number taken.

    Must run inside the caller's transaction: the counter row stays locked until it commits, so
    concurrent callers queue here and a rolled-back caller gives its numbers back (no gaps). The row
    is created first without a lock; `ignore_conflicts` makes two first-callers of a year harmless.
    """
    Penghitung.objects.bulk_create([Penghitung(jenis=jenis, tahun=tahun)], ignore_conflicts=True)
    counter = Penghitung.objects.select_for_update().get(jenis=jenis, tahun=tahun)
    first = counter.terakhir + 1
    counter.terakhir += count
    counter.save(update_fields=["terakhir"])
    return first
