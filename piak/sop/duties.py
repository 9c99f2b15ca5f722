"""Separation of duties (four eyes), declared per SOP by `pemisahan_tugas` in its YAML.

Two rules, for the approval steps (paraf, tanda tangan, disposisi) of a case:
- nobody handles approval steps of one case in two different roles, in any capacity (definitive, Plt,
  Plh): the Sekretaris who initialled cannot sign as Plt Kepala Dinas. Steps the SOP gives to the same
  role (SOP 1 steps 2 and 3, both the Kabid's) are one duty and stay with one official;
- nobody approves a case they started or a document version they wrote, on whichever page they wrote it.

The inbox, the case page and the services all read the rule from here, so what is not offered is exactly
what is refused.
"""

from dataclasses import dataclass

from django.db.models import Q

from piak.core.models import Role, User

from .models import DocumentVersion, StepRun

APPROVAL_KINDS = {"paraf", "tanda_tangan", "disposisi"}
RULE = "Pemisahan tugas"


@dataclass(frozen=True)
class DutyConflict:
    code: str
    message: str


def _approval_step(run: StepRun) -> bool:
    definition = run.case.versi.definition
    return definition.pemisahan_tugas and definition.step(run.langkah).jenis in APPROVAL_KINDS


def _roles_handled(user: User, case_ids: set[int], definitions: dict) -> dict[int, dict[str, int]]:
    """Per case, the roles the user already handled an approval step in, with the first such step."""
    handled: dict[int, dict[str, int]] = {}
    runs = (
        StepRun.objects.filter(case_id__in=case_ids, pelaku=user, selesai_pada__isnull=False)
        .exclude(hasil=StepRun.Outcome.DIBATALKAN)
        .order_by("langkah")
        .values_list("case_id", "langkah", "peran")
    )
    for case_id, langkah, peran in runs:
        if definitions[case_id].step(langkah).jenis in APPROVAL_KINDS:
            handled.setdefault(case_id, {}).setdefault(peran, langkah)
    return handled


def _cases_authored(user: User, case_ids: set[int]) -> dict[int, int]:
    """Per case, the first document version the user uploaded or wrote."""
    versions = (
        DocumentVersion.objects.filter(case_id__in=case_ids)
        .filter(Q(dibuat_oleh=user) | Q(disusun_oleh=user))
        .order_by("nomor")
        .values_list("case_id", "nomor")
    )
    authored: dict[int, int] = {}
    for case_id, nomor in versions:
        authored.setdefault(case_id, nomor)
    return authored


def duty_conflicts(*, user: User, runs: list[StepRun]) -> dict[int, DutyConflict]:
    """For each open run (by id) the user may not perform under separation of duties, the rule it breaks.
    Three queries for any number of runs."""
    guarded = [run for run in runs if _approval_step(run)]
    if not guarded:
        return {}
    definitions = {run.case_id: run.case.versi.definition for run in guarded}
    case_ids = set(definitions)
    handled = _roles_handled(user, case_ids, definitions)
    authored = _cases_authored(user, case_ids)
    role_names = dict(Role.objects.values_list("code", "nama"))
    conflicts = {}
    for run in guarded:
        conflict = _conflict(run, user, handled.get(run.case_id, {}), authored.get(run.case_id), role_names)
        if conflict is not None:
            conflicts[run.pk] = conflict
    return conflicts


def _conflict(
    run: StepRun, user: User, handled: dict[str, int], authored: int | None, role_names: dict[str, str]
) -> DutyConflict | None:
    if run.case.dimulai_oleh_id == user.pk:
        return DutyConflict(
            "sop_self_approval",
            f"{RULE}: Anda memulai berkas ini, sehingga langkah {run.langkah} harus dilakukan pejabat lain.",
        )
    if authored is not None:
        return DutyConflict(
            "sop_self_approval",
            f"{RULE}: Anda menyusun dokumen versi {authored} berkas ini, sehingga tidak boleh menyetujuinya "
            f"sendiri (langkah {run.langkah}).",
        )
    other_roles = {peran: langkah for peran, langkah in handled.items() if peran != run.peran}
    if other_roles:
        peran, langkah = next(iter(other_roles.items()))
        return DutyConflict(
            "sop_duty_separation",
            f"{RULE}: Anda sudah menangani langkah {langkah} berkas ini sebagai {role_names.get(peran, peran)}; "
            f"langkah {run.langkah} ({role_names.get(run.peran, run.peran)}) harus dilakukan pejabat lain.",
        )
    return None


def duty_conflict(*, user: User, run: StepRun) -> DutyConflict | None:
    return duty_conflicts(user=user, runs=[run]).get(run.pk)
