"""The work plan (rencana kerja) of SOP 2 and 3: its activities, each with a kind, a target and an assignee.

`isi["kegiatan"]` of a plan document is a list of {uraian, jenis, sasaran, target, pelaksana}; plans made
before activities had kinds hold plain strings, which read as free-text activities of kind "lainnya".
The kinds an SOP offers come from its handler (`SopHandler.activity_kinds`).
"""

from dataclasses import dataclass

from piak.core.errors import ValidationFailed
from piak.core.models import User

from .handlers import activity_kinds

OTHER = "lainnya"
OTHER_LABEL = "Lainnya"


def activity_record(raw) -> dict:
    """One activity as stored, from a stored or submitted value (a plain string of an old plan, or a dict)."""
    item = raw if isinstance(raw, dict) else {"uraian": raw}
    target = item.get("target")
    return {
        "uraian": str(item.get("uraian") or "").strip(),
        "jenis": str(item.get("jenis") or OTHER).strip(),
        "sasaran": str(item.get("sasaran") or "").strip(),
        "target": None if target in (None, "") else target,
        "pelaksana": str(item.get("pelaksana") or "").strip(),
    }


def activities_clean(kode: str, submitted: list) -> list[dict]:
    """The plan's activities checked against the SOP: a known kind, a positive whole target, an active
    assignee. Blank rows are dropped."""
    kinds = activity_kinds(kode)
    cleaned = []
    for number, raw in enumerate(submitted, start=1):
        item = activity_record(raw)
        if not item["uraian"]:
            if item["sasaran"] or item["target"] is not None or item["pelaksana"]:
                raise ValidationFailed(f"Kegiatan {number}: uraian kegiatan wajib diisi.", code="sop_activity_blank")
            continue
        _kind_check(number, item, kinds)
        _target_check(number, item)
        _assignee_check(number, item)
        cleaned.append(item)
    return cleaned


def _kind_check(number: int, item: dict, kinds: dict) -> None:
    if not kinds:
        item["jenis"] = OTHER
    elif item["jenis"] not in kinds:
        raise ValidationFailed(f"Kegiatan {number}: jenis kegiatan tidak dikenal.", code="sop_activity_kind")


def _target_check(number: int, item: dict) -> None:
    target = item["target"]
    if target is None:
        return
    if isinstance(target, bool) or not str(target).isdigit() or int(target) < 1:
        raise ValidationFailed(
            f"Kegiatan {number}: target harus bilangan bulat lebih dari nol.", code="sop_activity_target"
        )
    item["target"] = int(target)


def _assignee_check(number: int, item: dict) -> None:
    if item["pelaksana"] and not User.objects.filter(username=item["pelaksana"], is_active=True).exists():
        raise ValidationFailed(f"Kegiatan {number}: pelaksana bukan pengguna aktif PIAK.", code="sop_activity_assignee")


@dataclass(frozen=True)
class Activity:
    """One activity of a plan as people read it: the kind's label and the assignee's name."""

    uraian: str
    jenis: str  # the kind's code
    jenis_label: str
    satuan: str
    sasaran: str
    target: int | None
    pelaksana: str  # username, "" when unassigned
    pelaksana_nama: str


def plan_activities(kode: str, isi: dict | None) -> list[Activity]:
    records = [activity_record(raw) for raw in (isi or {}).get("kegiatan", [])]
    kinds = activity_kinds(kode)
    assigned = User.objects.filter(username__in={r["pelaksana"] for r in records if r["pelaksana"]})
    names = {user.username: user.display_name for user in assigned}
    return [
        Activity(
            uraian=r["uraian"],
            jenis=r["jenis"],
            jenis_label=kinds[r["jenis"]].label if r["jenis"] in kinds else OTHER_LABEL,
            satuan=kinds[r["jenis"]].satuan if r["jenis"] in kinds else "kegiatan",
            sasaran=r["sasaran"],
            target=r["target"],
            pelaksana=r["pelaksana"],
            pelaksana_nama=names.get(r["pelaksana"]) or r["pelaksana"],
        )
        for r in records
    ]
