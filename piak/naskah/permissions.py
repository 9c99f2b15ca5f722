"""Who may do what with data requests and letters (defaults; see core.permissions)."""

from piak.core import roles as r
from piak.core.permissions import register_permission

ALL_PIAK_ROLES = [code for code, _ in r.ROLES]

PERMINTAAN_CATAT = register_permission(
    "naskah.permintaan_catat", "Mencatat permintaan data dari instansi", [r.KASI_PPD, r.KABID_PIAK, r.ADMIN]
)
NASKAH_LIHAT = register_permission("naskah.lihat", "Melihat permintaan data dan naskah", ALL_PIAK_ROLES)
NASKAH_SUSUN = register_permission("naskah.susun", "Menyusun draf Surat Pengantar", [r.KASI_PPD, r.KABID_PIAK])
# Only the Kepala Dinas signs; a Plt/Plh Kepala Dinas holds the role for the days of the assignment.
NASKAH_TANDATANGAN = register_permission("naskah.tandatangan", "Menandatangani naskah dinas", [r.KEPALA_DINAS])
NASKAH_KIRIM = register_permission(
    "naskah.kirim", "Mengirim naskah ke instansi dan mencatat penerimaannya", [r.KASI_PPD, r.KABID_PIAK]
)
NOMOR_CADANGAN = register_permission(
    "naskah.nomor_cadangan",
    "Memesan blok nomor untuk surat kertas dan merekonsiliasinya",
    [r.KASI_PPD, r.KABID_PIAK, r.SEKRETARIS, r.ADMIN],
)
NASKAH_ARSIP = register_permission("naskah.arsip", "Mengarsipkan naskah", [r.KASI_PPD, r.KABID_PIAK, r.ADMIN])
# Withdrawing a signed letter is the signer's office: the Kepala Dinas or their Plt/Plh (checked in the service).
NASKAH_CABUT = register_permission("naskah.cabut", "Mencabut naskah yang sudah ditandatangani", [r.KEPALA_DINAS])
NASKAH_BATAL = register_permission(
    "naskah.batal", "Membatalkan draf naskah (berkas dibatalkan)", [r.KABID_PIAK, r.SEKRETARIS, r.KEPALA_DINAS]
)
PASSPHRASE_ATUR = register_permission("naskah.passphrase", "Mengatur passphrase penandatanganan", ALL_PIAK_ROLES)
PASSPHRASE_BUKA = register_permission("naskah.passphrase_buka", "Membuka kunci passphrase penandatanganan", [r.ADMIN])
