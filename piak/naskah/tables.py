"""The report tables an agency may request, by code.

SOURCE: the default table set in the shared INDICATORS.md ("Report tables"). The statistik app owns
the table definitions; these codes are what a request names, and what the letter lists.
"""

TABEL_LAPORAN: dict[str, str] = {
    "T1": "Penduduk menurut jenis kelamin, luas wilayah, kepadatan dan persebaran",
    "T2": "Kelompok umur lima tahunan × jenis kelamin, rasio jenis kelamin, rasio ketergantungan",
    "T3": "Pertumbuhan penduduk dan neraca penduduk",
    "T4": "Keluarga: jumlah KK, anggota per KK, karakteristik kepala keluarga",
    "T5": "Status perkawinan, pendidikan, pekerjaan, agama dan disabilitas",
    "T6": "Peristiwa kependudukan dan angka kasar",
    "T7": "Cakupan dokumen: wajib KTP, perekaman KTP-el, akta kelahiran, KIA",
}
