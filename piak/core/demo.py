"""Demo officials, one per role, for `make run`. Never used in production."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from . import roles
from .demo_logins import DEMO_LOGINS
from .errors import ValidationFailed
from .models import Capacity, HoldingStatus, Role, RoleHolding, User
from .services import role_acting_confirm, role_assign


@dataclass(frozen=True)
class DemoOfficial:
    username: str
    role: str
    nama_cetak: str
    nip: str
    jabatan: str

    @property
    def password(self) -> str:
        return DEMO_LOGINS[self.username]


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
# The Kasi SIAK stands in for the Kabid for a week, so the demo shows an acting (Plh) role: the Admin enters
# the appointment with its surat perintah and the Kepala Dinas confirms it, as in the office.
DEMO_ACTING = ("kasi.siak", roles.KABID_PIAK, Capacity.PLH, 7)
DEMO_ACTING_SK = "800/0123/Disdukcapil/2026"


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
    user.set_password(official.password)
    user.harus_ganti_sandi = True  # a published password; only a demo instance lets it stand
    user.save(update_fields=["password", "harus_ganti_sandi"])
    return user


def _current_holding(user: User, role: str) -> RoleHolding | None:
    on = timezone.localdate()
    return (
        RoleHolding.objects.filter(user=user, role_id=role, mulai__lte=on, ditolak_pada__isnull=True)
        .exclude(selesai__lt=on)
        .first()
    )


def _definitive_ensure(user: User, role: str, mulai: date) -> None:
    if _current_holding(user, role) is None:
        role_assign(
            user=user,
            role=Role.objects.get(code=role),
            capacity=Capacity.DEFINITIF,
            mulai=mulai,
            keterangan="Data demo",
        )


def _acting_ensure(user: User, role: str, capacity: str, days: int, *, recorder: User, confirmer: User) -> None:
    today = timezone.localdate()
    holding = _current_holding(user, role)
    if holding is None:
        try:
            holding = role_assign(
                user=user,
                role=Role.objects.get(code=role),
                capacity=capacity,
                mulai=today,
                selesai=today + timedelta(days=days),
                nomor_sk=DEMO_ACTING_SK,
                tanggal_sk=today,
                keterangan="Data demo: Kepala Bidang cuti",
                by=recorder,
            )
        except ValidationFailed as error:
            if error.code != "role_acting_overlap":
                raise
            return  # someone else already stands in for the role this week; that appointment is the demo's
    if holding.status == HoldingStatus.MENUNGGU:
        role_acting_confirm(holding=holding, by=confirmer)


@transaction.atomic
def demo_officials_ensure(*, acting: bool = True) -> list[tuple[DemoOfficial, User]]:
    """The demo officials, each holding their role since 1 January; with `acting`, also this week's Plh."""
    today = timezone.localdate()
    created = []
    for official in DEMO_OFFICIALS:
        user = _user_ensure(official)
        _definitive_ensure(user, official.role, date(today.year, 1, 1))
        created.append((official, user))
    if acting:
        username, role, capacity, days = DEMO_ACTING
        users = {official.role: user for official, user in created}
        _acting_ensure(
            User.objects.get(username=username),
            role,
            capacity,
            days,
            recorder=users[roles.ADMIN],
            confirmer=users[roles.KEPALA_DINAS],
        )
    return created
