"""What SOP 2's steps need: the engine asks this handler (piak.sop.handlers)."""

from piak.core.errors import ValidationFailed
from piak.sop.handlers import ActivityKind, Panel, SopHandler


class Sop2Handler(SopHandler):
    kode = "sop-2"
    activity_kinds = (
        ActivityKind("penyiapan_data", "Penyiapan data", "laporan"),
        ActivityKind("impor", "Impor ekspor SIAK", "berkas"),
        ActivityKind("koreksi", "Koreksi data ganda/anomali", "rekaman"),
        ActivityKind("entri_peristiwa", "Entri peristiwa kependudukan", "peristiwa"),
        ActivityKind("pemeliharaan", "Pemeliharaan aplikasi", "kegiatan"),
        ActivityKind("instalasi", "Instalasi/pembaruan perangkat dan klien SIAK", "perangkat"),
        ActivityKind("lainnya", "Lainnya", "kegiatan"),
    )

    def step_complete_check(self, *, run, step, user) -> None:
        """Step 5 is done with data: a data-quality report, a dry-run import or a list of records to correct."""
        from .selectors import PREPARATION_STEP

        if step.no == PREPARATION_STEP and not run.case.bahan_penyiapan.filter(step_run__langkah=step.no).exists():
            raise ValidationFailed(
                "Langkah Penyiapan Data Penduduk belum dapat diselesaikan: lampirkan laporan kualitas data, "
                "hasil uji impor ekspor SIAK, atau daftar data yang akan dikoreksi.",
                code="siak_preparation_missing",
            )

    def step_completed(self, *, run, step, user) -> None:
        from .selectors import WORK_STEP
        from .services import kerja_bekukan

        if step.no == WORK_STEP:
            kerja_bekukan(run=run, user=user)

    def _work_context(self, case) -> dict | None:
        from .selectors import links_of, open_candidates, planned_vs_done, work_run

        run = work_run(case)
        if run is None:
            return None
        candidates = open_candidates(case, run)
        return {
            "case": case,
            "run": run,
            "links": list(links_of(case)),
            "candidates": candidates,
            "pemeliharaan": list(case.pemeliharaan.select_related("dicatat_oleh")),
            "totals": planned_vs_done(case, candidates),
        }

    def _preparation_context(self, case) -> dict | None:
        from .selectors import preparation_run

        run = preparation_run(case)
        if run is None:
            return None
        return {"case": case, "run": run, "bahan": list(case.bahan_penyiapan.select_related("dibuat_oleh"))}

    def case_panels(self, *, case, user) -> list[Panel]:
        from .selectors import manual_choices

        panels = []
        if (preparation := self._preparation_context(case)) is not None:
            panels.append(Panel("siak/_panel_penyiapan.html", preparation))
        if (context := self._work_context(case)) is not None:
            manual = manual_choices() if context["run"].is_open else None
            panels.append(Panel("siak/_panel_kerja.html", {**context, "manual": manual}))
        return panels

    def lembar_panels(self, *, case) -> list[Panel]:
        panels = []
        if (preparation := self._preparation_context(case)) is not None:
            panels.append(Panel("siak/_lembar_penyiapan.html", preparation))
        if (context := self._work_context(case)) is not None:
            panels.append(Panel("siak/_lembar_kerja.html", context))
        return panels
