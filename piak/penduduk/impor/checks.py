"""Checks that need the whole file or the register: run as set-based SQL over the staging table.

Each check returns the issues it found and removes the rejected rows from staging.
"""

from .rows import WARNING, Issue
from .staging import TABLE, execute, fetch

STATUS_LABEL = {"mati": "meninggal", "pindah": "pindah keluar"}


def _reject(where: str) -> None:
    execute(f"DELETE FROM {TABLE} WHERE {where}")


def duplicate_niks() -> list[Issue]:
    where = f"nik IN (SELECT nik FROM {TABLE} GROUP BY nik HAVING COUNT(*) > 1)"
    rows = fetch(f"SELECT baris, nik FROM {TABLE} WHERE {where} ORDER BY baris")
    issues = [
        Issue(baris, "NIK", nik, "nik_ganda", f"NIK {nik} muncul lebih dari sekali dalam berkas.")
        for baris, nik in rows
    ]
    _reject(where)
    return issues


def families_without_one_head() -> list[Issue]:
    heads = f"SELECT no_kk FROM {TABLE} GROUP BY no_kk HAVING SUM(CASE WHEN shdk = 1 THEN 1 ELSE 0 END) <> 1"
    rows = fetch(
        f"SELECT s.baris, s.no_kk, h.jumlah FROM {TABLE} s JOIN "
        f"(SELECT no_kk, SUM(CASE WHEN shdk = 1 THEN 1 ELSE 0 END) AS jumlah FROM {TABLE} GROUP BY no_kk) h "
        f"ON h.no_kk = s.no_kk WHERE h.jumlah <> 1 ORDER BY s.baris"
    )
    issues = [
        Issue(
            baris,
            "STAT_HBKEL",
            no_kk,
            "kk_tanpa_kepala" if jumlah == 0 else "kk_kepala_ganda",
            f"Keluarga {no_kk} tidak mempunyai kepala keluarga."
            if jumlah == 0
            else f"Keluarga {no_kk} mempunyai {jumlah} kepala keluarga; harus tepat satu.",
        )
        for baris, no_kk, jumlah in rows
    ]
    _reject(f"no_kk IN ({heads})")
    return issues


def changes_that_need_an_event() -> list[Issue]:
    """A death, a move or a return of an existing resident must be recorded as an event, not imported."""
    rows = fetch(
        f"SELECT s.baris, s.nik, s.stat_hidup, s.kelurahan_id, p.status, k.kelurahan_id "
        f"FROM {TABLE} s JOIN penduduk_penduduk p ON p.nik = s.nik "
        f"JOIN penduduk_keluarga k ON k.id = p.keluarga_id "
        f"WHERE p.status <> 'hidup' OR s.stat_hidup <> 1 OR k.kelurahan_id <> s.kelurahan_id "
        f"UNION ALL "
        f"SELECT s.baris, s.nik, s.stat_hidup, s.kelurahan_id, 'keluarga', k.kelurahan_id "
        f"FROM {TABLE} s JOIN penduduk_keluarga k ON k.no_kk = s.no_kk "
        f"WHERE k.kelurahan_id <> s.kelurahan_id AND NOT EXISTS "
        f"(SELECT 1 FROM penduduk_penduduk p WHERE p.nik = s.nik)"
    )
    issues = []
    rejected = set()
    for baris, nik, stat_hidup, kelurahan, status, old_kelurahan in sorted(rows):
        if baris in rejected:
            continue
        rejected.add(baris)
        issues.append(_event_issue(baris, nik, stat_hidup, kelurahan, status, old_kelurahan))
    if rejected:
        _reject_rows(rejected)
    return issues


def _event_issue(baris, nik, stat_hidup, kelurahan, status, old_kelurahan) -> Issue:
    if status == "ganda":
        return Issue(
            baris,
            "NIK",
            nik,
            "penduduk_data_ganda",
            f"Penduduk {nik} sudah dinonaktifkan sebagai data ganda; hapus baris ini dari ekspor "
            f"(data yang dipertahankan tetap diimpor).",
        )
    if status in STATUS_LABEL:
        return Issue(
            baris,
            "NIK",
            nik,
            "penduduk_tidak_aktif",
            f"Penduduk {nik} tercatat {STATUS_LABEL[status]}; jika ia kembali, catat peristiwa pindah "
            f"masuk, bukan impor.",
        )
    if stat_hidup == 2:
        return Issue(
            baris,
            "STAT_HIDUP",
            nik,
            "perlu_peristiwa_mati",
            f"Penduduk {nik} tercatat hidup; kematian dicatat melalui peristiwa kematian, bukan impor.",
        )
    return Issue(
        baris,
        "NO_KEL" if stat_hidup == 1 else "STAT_HIDUP",
        nik,
        "perlu_peristiwa_pindah",
        f"Penduduk {nik} tercatat di kelurahan {old_kelurahan}; kepindahan dicatat melalui peristiwa "
        f"pindah keluar/pindah masuk, bukan impor.",
    )


def _reject_rows(barises: set[int]) -> None:
    ordered = sorted(barises)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        execute(f"DELETE FROM {TABLE} WHERE baris IN ({', '.join(['%s'] * len(chunk))})", chunk)


def parents_not_found() -> list[Issue]:
    issues = []
    for column, field in (("NIK_IBU", "nik_ibu"), ("NIK_AYAH", "nik_ayah")):
        rows = fetch(
            f"SELECT s.baris, s.{field} FROM {TABLE} s WHERE s.{field} <> '' "
            f"AND NOT EXISTS (SELECT 1 FROM {TABLE} o WHERE o.nik = s.{field}) "
            f"AND NOT EXISTS (SELECT 1 FROM penduduk_penduduk p WHERE p.nik = s.{field})"
        )
        issues += [
            Issue(
                baris,
                column,
                nik,
                "ortu_tidak_ditemukan",
                f"{column} {nik} tidak ditemukan di berkas maupun di register.",
                WARNING,
            )
            for baris, nik in rows
        ]
    return issues
