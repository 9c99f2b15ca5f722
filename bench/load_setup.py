"""The office the load benchmark (`bench/load.py`) works in: officials who initial, each with a case waiting
for their paraf, laid down through the real services. Importable (and tested, `tests/test_bench_load.py`)
so the benchmark cannot silently rot; needs Django set up and the demo officials in place
(`piak.core.demo.demo_officials_ensure`).
"""

import secrets
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from piak.core import roles
from piak.core.models import Capacity, Role, User
from piak.core.services import role_assign, user_password_change
from piak.sop import services
from piak.sop.models import Case, SopVersion
from piak.sop.selectors import open_run

# The roles that initial (paraf) in the SOPs, and how a case reaches their paraf step: the SOP, and the
# demo officials (by role) whose paraf come before it.
PARAF_ROUTES: dict[str, tuple[str, tuple[str, ...]]] = {
    roles.KASI_SIAK: ("sop-2", ()),
    roles.KASI_TKSDM_TIK: ("sop-3", ()),
    roles.KABID_PIAK: ("sop-2", (roles.KASI_SIAK,)),
}
WORK_PLAN = {
    "judul": "Pemeliharaan perangkat perekaman",
    "kegiatan": ["Persiapan", "Pelaksanaan", "Laporan hasil"],
    "dasar_hukum": "",
}


@dataclass(frozen=True)
class LoadOfficial:
    username: str
    password: str
    role: str
    case_id: int


def _demo_user(role: str) -> User:
    from piak.core.demo import DEMO_OFFICIALS

    return User.objects.get(username=next(o.username for o in DEMO_OFFICIALS if o.role == role))


def _official_create(username: str, role: str, n: int) -> tuple[User, str]:
    """A user holding `role` since 1 January, with a password of their own (so no forced change at login)."""
    user = User.objects.create_user(
        username=username,
        password=None,
        nama_cetak=f"Pejabat Uji Beban {n:03d}",
        jabatan=Role.objects.get(code=role).nama,
    )
    role_assign(
        user=user,
        role=Role.objects.get(code=role),
        capacity=Capacity.DEFINITIF,
        mulai=date(timezone.localdate().year, 1, 1),
        keterangan="Uji beban",
    )
    password = f"ampera-{secrets.token_hex(6)}-{n:03d}"
    user_password_change(user=user, password=password)
    return user, password


def _case_at_paraf(role: str, title: str) -> Case:
    """A work plan started and completed by the demo operator, initialled by the officials before `role`."""
    kode, before = PARAF_ROUTES[role]
    versi = SopVersion.objects.filter(kode=kode).latest("nomor_versi")
    operator = _demo_user(roles.STAF)
    case = services.case_start(versi=versi, user=operator, judul=title, rencana_kerja=dict(WORK_PLAN, judul=title))
    run = open_run(case)
    services.step_complete(step_run=run, user=operator, checklist=list(versi.definition.step(run.langkah).checklist))
    for earlier in before:
        services.step_paraf(step_run=open_run(case), user=_demo_user(earlier), document_hash=None)
    return case


def load_officials_create(*, count: int, prefix: str = "beban") -> list[LoadOfficial]:
    """`count` officials (the paraf roles in turn), each with a case of their own waiting for their paraf."""
    cycle = list(PARAF_ROUTES)
    created = []
    for n in range(1, count + 1):
        role = cycle[(n - 1) % len(cycle)]
        user, password = _official_create(f"{prefix}.{n:03d}", role, n)
        case = _case_at_paraf(role, f"Rencana kerja uji beban: {user.username}")
        created.append(LoadOfficial(user.username, password, role, case.pk))
    return created
