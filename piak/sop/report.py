"""The compliance report for a period as PDF (landscape A4) and XLSX: the evidence pack for inspectors."""

from piak.core.waktu import waktu_wib
from piak.web.pdf import render_pdf
from piak.web.xlsx import Sheet, workbook_bytes

from .monitoring import CaseEvidence, ComplianceReport, Tally, evidence_status

TALLY_HEADER = ["Uraian", "Diukur", "Tepat waktu", "Terlambat", "Kepatuhan (%)"]
COUNTING_RULE = (
    "Langkah diukur bila mempunyai standar waktu dan sudah selesai, atau masih terbuka tetapi sudah melewati "
    "standarnya. Waktu dihitung dalam jam kerja kantor (Senin–Jumat, tanpa hari libur nasional dan cuti bersama)."
)


def period_text(report: ComplianceReport) -> str:
    return f"{report.awal:%d-%m-%Y} s.d. {report.akhir:%d-%m-%Y}"


def _tally_rows(tallies: list[Tally]) -> list[list]:
    return [[t.label, t.measured, t.on_time, t.late, t.percent] for t in tallies]


def _step_rows(item: CaseEvidence) -> list[list]:
    case = item.case
    rows = []
    for e in item.entries:
        run, person = e.run, e.run.pelaku
        rows.append([
            case.pk, case.judul, case.versi.kode.upper(), run.langkah, e.step.aktivitas, run.percobaan,
            person.display_name if person else "", person.nip if person else "", e.role_label,
            waktu_wib(run.dimulai_pada), waktu_wib(run.tenggat), waktu_wib(run.selesai_pada), e.step.waktu,
            e.sla.used_minutes, e.sla.standard_minutes, evidence_status(e), run.get_hasil_display(), run.catatan,
        ])  # fmt: skip
    return rows


def _return_rows(item: CaseEvidence) -> list[list]:
    case = item.case
    return [
        [case.pk, case.judul, e.run.langkah, e.run.pelaku.display_name, e.role_label, waktu_wib(e.run.selesai_pada),
         e.run.kembali_ke, e.run.catatan]
        for e in item.returns
    ]  # fmt: skip


def compliance_sheets(report: ComplianceReport) -> list[Sheet]:
    period = period_text(report)
    c = report.compliance
    made = [f"Dibuat {waktu_wib(report.dibuat_pada)}.", COUNTING_RULE]
    cases = [
        [i.case.pk, i.case.judul, i.case.versi.kode.upper(), i.case.versi.nomor_versi, i.case.get_status_display(),
         waktu_wib(i.case.dimulai_pada), waktu_wib(i.case.selesai_pada), i.timed_steps,
         len(i.late), len(i.returns)]
        for i in report.cases
    ]  # fmt: skip
    return [
        Sheet("Ringkasan", f"Kepatuhan standar waktu SOP, berkas yang dimulai {period}", TALLY_HEADER,
              _tally_rows([c.total]), [f"Jumlah berkas: {len(report.cases)}; pengembalian: {report.return_count}.",
                                       *made]),
        Sheet("Per langkah", f"Kepatuhan per langkah, {period}", TALLY_HEADER, _tally_rows(c.steps()), made),
        Sheet("Per pejabat", f"Kepatuhan per pejabat, {period}", TALLY_HEADER, _tally_rows(c.officials()), made),
        Sheet("Per bulan", f"Kepatuhan per bulan mulai langkah, {period}", TALLY_HEADER, _tally_rows(c.months()), made),
        Sheet("Berkas", f"Berkas yang dimulai {period}",
              ["No. berkas", "Judul", "SOP", "Versi", "Status", "Dimulai", "Selesai", "Langkah bertenggat",
               "Langkah terlambat", "Pengembalian"], cases, made),
        Sheet("Langkah", f"Setiap langkah berkas yang dimulai {period}",
              ["No. berkas", "Judul", "SOP", "Langkah", "Aktivitas", "Percobaan", "Pelaksana", "NIP",
               "Jabatan saat bertindak", "Mulai", "Tenggat", "Selesai", "Standar waktu", "Terpakai (menit kerja)",
               "Standar (menit kerja)", "Status standar waktu", "Hasil", "Catatan / alasan"],
              [row for item in report.cases for row in _step_rows(item)], made),
        Sheet("Pengembalian", f"Pengembalian untuk perbaikan, {period}",
              ["No. berkas", "Judul", "Di langkah", "Dikembalikan oleh", "Jabatan", "Waktu", "Ke langkah", "Alasan"],
              [row for item in report.cases for row in _return_rows(item)], made),
    ]  # fmt: skip


def compliance_xlsx(report: ComplianceReport) -> bytes:
    return workbook_bytes(compliance_sheets(report))


def compliance_pdf(report: ComplianceReport) -> bytes:
    made = waktu_wib(report.dibuat_pada)
    context = {"report": report, "period": period_text(report), "rule": COUNTING_RULE, "made": made}
    return render_pdf("sop/kepatuhan_pdf.html", context)
