"""Demo officials, one per role, for `make run`. Never used in production."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from . import roles
from .models import Capacity, Role, RoleHolding, User
from .services import role_assign

DEMO_PASSWORD = "piak-demo-2026"


@dataclass(frozen=True)
class DemoOfficial:
    username: str
    role: str
    nama_cetak: str
    nip: str
    jabatan: str


DEMO_OFFICIALS = [
    DemoOfficial("operator", roles.STAF, "Rina Marlina, S.Kom.", "199203152019032007", "Operator SIAK"),
    DemoOfficial(
        "kasi.ppd",
        roles.KASI_PPD,
        "Hendra Saputra, S.T.",
        "198507112010011012",
        "Kepala Seksi Pengelolaan dan Penyajian Data",
    ),
    DemoOfficial(
        "kasi.siak",
        roles.KASI_SIAK,
        "Dewi Anggraini, S.Kom., M.M.",
        "198410202009022003",
        "Kepala Seksi Sistem Informasi Administrasi Kependudukan",
    ),
    DemoOfficial(
        "kasi.tik",
        roles.KASI_TKSDM_TIK,
        "Muhammad Rizki, S.Kom.",
        "198802182011011005",
        "Kepala Seksi Tata Kelola dan SDM, Teknologi Informasi dan Komunikasi",
    ),
    DemoOfficial(
        "kabid",
        roles.KABID_PIAK,
        "Drs. Ahmad Fauzi, M.Si.",
        "197305121998031004",
        "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
    ),
    DemoOfficial(
        "sekretaris",
        roles.SEKRETARIS,
        "Hj. Sri Wahyuni, S.H., M.H.",
        "197109231997032002",
        "Sekretaris Dinas Kependudukan dan Pencatatan Sipil",
    ),
    DemoOfficial(
        "kadis",
        roles.KEPALA_DINAS,
        "Dr. H. Bambang Irawan, S.STP., M.Si.",
        "197001051990031006",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Palembang",
    ),
    DemoOfficial("admin", roles.ADMIN, "Yusuf Pratama, S.Kom.", "199011302015031002", "Pranata Komputer"),
]
# The Kasi SIAK stands in for the Kabid for a week, so the demo shows an acting (Plh) role.
DEMO_ACTING = ("kasi.siak", roles.KABID_PIAK, Capacity.PLH, 7)


def _user_ensure(official: DemoOfficial) -> User:
    user, _ = User.objects.update_or_create(
        username=official.username,
        defaults={
            "nama_cetak": official.nama_cetak,
            "nip": official.nip,
            "jabatan": official.jabatan,
            "is_active": True,
            "is_staff": official.role == roles.ADMIN,
            "is_superuser": official.role == roles.ADMIN,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _holding_ensure(user: User, role: str, capacity: str, mulai: date, selesai: date | None) -> None:
    on = timezone.localdate()
    current = RoleHolding.objects.filter(user=user, role_id=role, mulai__lte=on).exclude(selesai__lt=on)
    if not current.exists():
        role_assign(
            user=user,
            role=Role.objects.get(code=role),
            capacity=capacity,
            mulai=mulai,
            selesai=selesai,
            keterangan="Data demo",
        )


@transaction.atomic
def demo_officials_ensure() -> list[tuple[DemoOfficial, User]]:
    today = timezone.localdate()
    created = []
    for official in DEMO_OFFICIALS:
        user = _user_ensure(official)
        _holding_ensure(user, official.role, Capacity.DEFINITIF, date(today.year, 1, 1), None)
        created.append((official, user))
    username, role, capacity, days = DEMO_ACTING
    acting_user = User.objects.get(username=username)
    _holding_ensure(acting_user, role, capacity, today, today + timedelta(days=days))
    return created
