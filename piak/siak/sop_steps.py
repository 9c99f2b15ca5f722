"""What SOP 2's steps need: the engine asks this handler (piak.sop.handlers)."""

from piak.sop.handlers import ActivityKind, SopHandler


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
