"""SOP definitions: YAML text → validated, immutable `Definition`.

The schema is checked by hand so every problem gets a precise Indonesian message naming where it is
(`langkah 3 → kembali_ke`), and all problems are reported at once.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from piak.core.errors import DomainError
from piak.core.roles import ROLES

SHIPPED_DIR = Path(__file__).parent / "definitions"
ROLE_CODES = {code for code, _ in ROLES}
STEP_KINDS = {
    "kerja": "pekerjaan",
    "paraf": "paraf",
    "disposisi": "disposisi",
    "tanda_tangan": "tanda tangan",
}
CASE_KINDS = {"laporan", "rencana_kerja"}
TEXT_FIELDS = [
    "kode",
    "nama",
    "nomor",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "peringatan",
    "pencatatan",
    "berkas",
]
LIST_FIELDS = ["unit", "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan"]
STEP_TEXT_FIELDS = ["aktivitas", "pelaksana", "jenis", "kelengkapan", "waktu"]
NO_STANDARD = {"-", "", "tergantung waktu persiapan"}
WAKTU_PATTERN = re.compile(r"^(\d+)\s*(menit|jam|hari)$", re.IGNORECASE)


class DefinitionInvalid(DomainError):
    code = "sop_definition_invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Definisi SOP tidak sah:\n" + "\n".join(f"- {e}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class TimeStandard:
    amount: int
    unit: str  # menit, jam or hari

    def minutes(self, minutes_per_day: int) -> int:
        """Working minutes; a day is one working day of the office calendar."""
        return self.amount * {"menit": 1, "jam": 60, "hari": minutes_per_day}[self.unit]


def parse_waktu(text: str) -> TimeStandard | None:
    """'10 Menit' → 10 minutes, '1 hari' → one working day, '-' / 'Tergantung waktu persiapan' → None."""
    cleaned = " ".join(str(text).split())
    if cleaned.lower() in NO_STANDARD:
        return None
    match = WAKTU_PATTERN.match(cleaned)
    if not match or int(match[1]) == 0:
        raise ValueError(f"waktu '{text}' tidak dikenali (contoh: '15 menit', '2 jam', '1 hari', '-')")
    return TimeStandard(int(match[1]), match[2].lower())


@dataclass(frozen=True)
class Step:
    no: int
    aktivitas: str
    pelaksana: str
    jenis: str
    kelengkapan: str
    waktu: str
    output: str
    keterangan: str
    kembali_ke: tuple[int, ...]
    wajib_lampiran: bool
    checklist: tuple[str, ...]

    @property
    def standard(self) -> TimeStandard | None:
        return parse_waktu(self.waktu)

    @property
    def jenis_label(self) -> str:
        return STEP_KINDS[self.jenis]


@dataclass(frozen=True)
class Column:
    peran: str
    judul: str


@dataclass(frozen=True)
class Definition:
    kode: str
    nama: str
    unit: tuple[str, ...]
    nomor: str
    tanggal_pembuatan: str
    tanggal_revisi: str
    tanggal_efektif: str
    disahkan_oleh: dict
    dasar_hukum: tuple[str, ...]
    kualifikasi_pelaksana: tuple[str, ...]
    keterkaitan: tuple[str, ...]
    peralatan: tuple[str, ...]
    peringatan: str
    pencatatan: str
    berkas: str
    pelaksana: tuple[Column, ...]
    atasan: dict
    langkah: tuple[Step, ...]
    # Four eyes: nobody approves in two roles of one case, nor approves a version they wrote.
    pemisahan_tugas: bool = False

    def step(self, no: int) -> Step:
        return self.langkah[no - 1]

    def next_step(self, no: int) -> Step | None:
        return self.langkah[no] if no < len(self.langkah) else None

    @property
    def column_index(self) -> dict[str, int]:
        return {c.peran: i for i, c in enumerate(self.pelaksana)}


def _check_header(data: dict, errors: list[str]) -> None:
    for name in TEXT_FIELDS:
        if not isinstance(data.get(name), str) or not data[name].strip():
            errors.append(f"'{name}' wajib diisi dengan teks")
    for name in LIST_FIELDS:
        value = data.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            errors.append(f"'{name}' wajib berupa daftar teks yang tidak kosong")
    if data.get("berkas") not in CASE_KINDS | {None}:
        errors.append(f"'berkas' harus salah satu dari: {', '.join(sorted(CASE_KINDS))}")
    if not isinstance(data.get("pemisahan_tugas", False), bool):
        errors.append("'pemisahan_tugas' wajib bernilai true atau false")
    signer = data.get("disahkan_oleh")
    if not isinstance(signer, dict) or not all(isinstance(signer.get(k), str) for k in ("jabatan", "nama", "nip")):
        errors.append("'disahkan_oleh' wajib berisi jabatan, nama dan nip")


def _check_columns(data: dict, errors: list[str]) -> set[str]:
    columns = data.get("pelaksana")
    if not isinstance(columns, list) or not columns:
        errors.append("'pelaksana' wajib berupa daftar kolom pelaksana")
        return set()
    roles = set()
    for i, column in enumerate(columns, 1):
        if not isinstance(column, dict) or column.get("peran") not in ROLE_CODES or not column.get("judul"):
            errors.append(
                f"pelaksana ke-{i}: wajib berisi 'peran' (salah satu dari {', '.join(sorted(ROLE_CODES))}) dan 'judul'"
            )
        else:
            roles.add(column["peran"])
    atasan = data.get("atasan") or {}
    if not isinstance(atasan, dict) or not all(k in ROLE_CODES and v in ROLE_CODES for k, v in atasan.items()):
        errors.append("'atasan' wajib memetakan peran ke peran atasannya (kode peran yang dikenal)")
    return roles


def _check_step(step: object, position: int, column_roles: set[str], errors: list[str]) -> None:
    where = f"langkah ke-{position}"
    if not isinstance(step, dict):
        errors.append(f"{where}: wajib berupa pemetaan (nomor, aktivitas, pelaksana, ...)")
        return
    if step.get("nomor") != position:
        errors.append(f"{where}: 'nomor' harus {position} (langkah bernomor urut mulai 1)")
    for name in STEP_TEXT_FIELDS:
        if not isinstance(step.get(name), str) or (name != "waktu" and not step[name].strip()):
            errors.append(f"{where} → {name}: wajib diisi dengan teks")
    if step.get("pelaksana") not in column_roles:
        errors.append(f"{where} → pelaksana: '{step.get('pelaksana')}' bukan salah satu kolom pelaksana")
    if step.get("jenis") not in STEP_KINDS:
        errors.append(f"{where} → jenis: harus salah satu dari {', '.join(STEP_KINDS)}")
    try:
        parse_waktu(step.get("waktu", ""))
    except ValueError as error:
        errors.append(f"{where} → {error}")
    targets = step.get("kembali_ke", [])
    if not isinstance(targets, list) or not all(isinstance(t, int) and 1 <= t < position for t in targets):
        errors.append(f"{where} → kembali_ke: hanya boleh menunjuk langkah sebelumnya (1 sampai {position - 1})")
    checklist = step.get("checklist", [])
    if not isinstance(checklist, list) or not all(isinstance(c, str) and c.strip() for c in checklist):
        errors.append(f"{where} → checklist: wajib berupa daftar teks")


def definition_errors(data: object) -> list[str]:
    """Every problem of a parsed YAML document, in reading order; empty when it is valid."""
    if not isinstance(data, dict):
        return ["dokumen harus berupa pemetaan YAML (kode, nama, langkah, ...)"]
    errors: list[str] = []
    _check_header(data, errors)
    column_roles = _check_columns(data, errors)
    steps = data.get("langkah")
    if not isinstance(steps, list) or len(steps) < 2:
        errors.append("'langkah' wajib berisi sedikitnya dua langkah")
        return errors
    for position, step in enumerate(steps, 1):
        _check_step(step, position, column_roles, errors)
    signing = [s.get("nomor") for s in steps if isinstance(s, dict) and s.get("jenis") == "tanda_tangan"]
    if signing and data.get("berkas") != "laporan":
        errors.append(
            f"langkah {', '.join(map(str, signing))}: jenis 'tanda_tangan' hanya untuk SOP yang memuat surat "
            "(berkas: laporan), karena tanda tangan elektronik menandatangani suratnya"
        )
    return errors


def _step_from(raw: dict) -> Step:
    return Step(
        no=raw["nomor"],
        aktivitas=raw["aktivitas"].strip(),
        pelaksana=raw["pelaksana"],
        jenis=raw["jenis"],
        kelengkapan=raw["kelengkapan"].strip(),
        waktu=raw["waktu"].strip(),
        output=(raw.get("output") or "").strip(),
        keterangan=(raw.get("keterangan") or "").strip(),
        kembali_ke=tuple(raw.get("kembali_ke", [])),
        wajib_lampiran=bool(raw.get("wajib_lampiran", False)),
        checklist=tuple(raw.get("checklist") or [raw["kelengkapan"].strip()]),
    )


def definition_parse(text: str) -> Definition:
    """Parse and validate YAML text; raises `DefinitionInvalid` listing every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (baris {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        raise DefinitionInvalid([f"YAML tidak dapat dibaca{where}: {getattr(error, 'problem', error)}"]) from error
    errors = definition_errors(data)
    if errors:
        raise DefinitionInvalid(errors)
    return Definition(
        **{name: data[name].strip() for name in TEXT_FIELDS},
        **{name: tuple(data[name]) for name in LIST_FIELDS},
        disahkan_oleh=dict(data["disahkan_oleh"]),
        pelaksana=tuple(Column(c["peran"], c["judul"]) for c in data["pelaksana"]),
        atasan=dict(data.get("atasan") or {}),
        langkah=tuple(_step_from(raw) for raw in data["langkah"]),
        pemisahan_tugas=data.get("pemisahan_tugas", False),
    )


def shipped_definitions() -> dict[str, str]:
    """The YAML text of every SOP that ships with PIAK, by file stem (`sop-1`)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(SHIPPED_DIR.glob("*.yaml"))}
