"""Benchmark: render and sign the Surat Pengantar, against rendering a minimal A4 page in the same run.

    .venv/bin/python bench/letter_pdf.py [--runs N]

Prints JSON: median seconds per step and ratios against the baseline. Needs no database: the letter
is rendered from unsaved model instances, signed with a throwaway local CA in a temporary folder.
"""

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from timing import median_seconds


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piak.settings.test")
    import django

    django.setup()


def _letter():
    from piak.naskah.models import Lampiran, Naskah, PermintaanData

    permintaan = PermintaanData(
        instansi="Badan Pusat Statistik Kota Palembang",
        jabatan_tujuan="Kepala Badan Pusat Statistik Kota Palembang",
        nomor_surat="B-123/16710/HM.100/2026",
        tanggal_surat=date(2026, 11, 10),
        keperluan="penyusunan publikasi Kota Palembang Dalam Angka 2027",
        dasar_hukum="Permendagri Nomor 102 Tahun 2019",
        tabel_diminta=["T1", "T2"],
        tanggal_data=date(2026, 6, 30),
    )
    naskah = Naskah(
        pk=1,
        permintaan=permintaan,
        perihal="Penyampaian Data Kependudukan",
        tembusan=["Sekretaris Daerah Kota Palembang", "Arsip"],
        snapshot_ref="SNAP-2026-06-30",
        snapshot_tanggal=date(2026, 6, 30),
        snapshot_baris=1_800_000,
        snapshot_sha256="ab" * 32,
    )
    lampiran = [
        Lampiran(nama="laporan.pdf", judul="Laporan Data Kependudukan", sha256="cd" * 32),
        Lampiran(nama="laporan.xlsx", judul="Tabel Data Kependudukan", sha256="ef" * 32),
    ]
    return naskah, lampiran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    _setup_django()
    from piak.naskah.letter import Penandatangan, surat_pengantar_render
    from piak.naskah.signing import LocalPadesSigner, local_ca_ensure
    from piak.web.pdf import render_pdf

    naskah, lampiran = _letter()
    signer_name = "Dr. H. Bambang Irawan, S.STP., M.Si."
    penandatangan = Penandatangan(nama=signer_name, nip="197001051990031006")
    with tempfile.TemporaryDirectory() as folder:
        local_ca_ensure(Path(folder))
        signer = LocalPadesSigner(Path(folder))

        def final_letter():
            return surat_pengantar_render(
                naskah,
                nomor="470/0001/PIAK/2026",
                tanggal=date(2026, 11, 25),
                penandatangan=penandatangan,
                lampiran=lampiran,
                verification_url="https://piak.palembang.go.id/verifikasi/abcdefghijklmnopqrstuvwxyz012345/",
            )

        def render_and_sign():
            rendered = final_letter()
            signer.sign(
                rendered.pdf,
                signer_name=signer_name,
                reason="bench",
                location="Palembang",
                box=rendered.signature_box,
            )

        baseline = median_seconds(lambda: render_pdf("print/base_a4.html", {}), args.runs)
        render = median_seconds(final_letter, args.runs)
        render_sign = median_seconds(render_and_sign, args.runs)
    print(
        json.dumps(
            {
                "benchmark": "letter_pdf",
                "runs": args.runs,
                "baseline_minimal_a4_s": round(baseline, 4),
                "letter_render_s": round(render, 4),
                "letter_render_sign_s": round(render_sign, 4),
                "sign_only_s": round(render_sign - render, 4),
                "ratio_render_vs_baseline": round(render / baseline, 2),
                "ratio_render_sign_vs_baseline": round(render_sign / baseline, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
