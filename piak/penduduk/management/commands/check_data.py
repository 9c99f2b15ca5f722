from django.core.management.base import BaseCommand

from piak.penduduk.selectors import data_quality, quality_summary


class Command(BaseCommand):
    help = "Memeriksa kualitas register penduduk: NIK ganda/anomali, KK tanpa tepat satu kepala, dll."

    def handle(self, *args, **options) -> None:
        q = data_quality()
        for label, value in quality_summary(q):
            self.stdout.write(f"{label}: {value}")
        for family in q.families_without_one_head[:20]:
            self.stdout.write(f"  KK {family['no_kk']}: {family['kepala']} kepala dari {family['hadir']} anggota")
        self.stdout.write("Penduduk per kelurahan:")
        for row in q.per_kelurahan:
            self.stdout.write(
                f"  {row['keluarga__kelurahan__kode']} {row['keluarga__kelurahan__nama']}: {row['jumlah']} "
                f"(L {row['laki']}, P {row['perempuan']}, {row['keluarga']} KK)"
            )
        self.stdout.write(f"Jumlah penduduk hadir: {sum(r['jumlah'] for r in q.per_kelurahan)}")
