"""What SOP 2's steps need: the engine asks this handler (piak.sop.handlers)."""

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

    def step_completed(self, *, run, step, user) -> None:
        from .selectors import WORK_STEP
        from .services import kerja_bekukan

        if step.no == WORK_STEP:
            kerja_bekukan(run=run, user=user)

    def _work_context(self, case) -> dict | None:
        from .selectors import auto_candidates, links_of, planned_vs_done, work_run

        run = work_run(case)
        if run is None:
            return None
        return {
            "case": case,
            "run": run,
            "links": list(links_of(case)),
            "candidates": auto_candidates(run, case) if run.is_open else None,
            "pemeliharaan": list(case.pemeliharaan.select_related("dicatat_oleh")),
            "totals": planned_vs_done(case),
        }

    def case_panels(self, *, case, user) -> list[Panel]:
        from .selectors import manual_choices

        context = self._work_context(case)
        if context is None:
            return []
        manual = manual_choices() if context["run"].is_open else None
        return [Panel("siak/_panel_kerja.html", {**context, "manual": manual})]

    def lembar_panels(self, *, case) -> list[Panel]:
        context = self._work_context(case)
        return [] if context is None else [Panel("siak/_lembar_kerja.html", context)]
