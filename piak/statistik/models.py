from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SYNTHETIC_STAMP = "DATA SINTETIS — BUKAN DATA RESMI"


class Snapshot(models.Model):
    """A frozen population at a cut-off date (data konsolidasi): Parquet files with their row counts and
    SHA-256. Immutable: created once by `services.snapshot_create`, checked by `snapshot_verify`."""

    tanggal_potong = models.DateField(_("tanggal potong"))
    periode_mulai = models.DateField(_("awal periode peristiwa"))
    berkas = models.CharField(_("berkas penduduk (Parquet)"), max_length=255)
    jumlah_baris = models.PositiveIntegerField(_("jumlah penduduk (baris)"))
    sha256 = models.CharField(_("SHA-256 berkas penduduk"), max_length=64)
    berkas_peristiwa = models.CharField(_("berkas peristiwa (Parquet)"), max_length=255, blank=True)
    jumlah_peristiwa = models.PositiveIntegerField(_("jumlah peristiwa"), default=0)
    sha256_peristiwa = models.CharField(_("SHA-256 berkas peristiwa"), max_length=64, blank=True)
    versi_skema = models.PositiveSmallIntegerField(_("versi skema"))
    sumber = models.JSONField(_("impor dan peristiwa yang tercermin"), default=dict, blank=True)
    sintetis = models.BooleanField(
        _("data sintetis"),
        default=False,
        help_text=_("Dibangkitkan untuk demo, bukan dari register; tidak pernah dikutip surat."),
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        ordering = ["-tanggal_potong", "-id"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshot")

    def __str__(self) -> str:
        synthetic = " — data sintetis" if self.sintetis else ""
        return f"Snapshot #{self.pk} ({self.tanggal_potong:%d-%m-%Y}){synthetic}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("a snapshot is immutable; create a new one instead")
        super().save(*args, **kwargs)

    @property
    def stamp(self) -> str:
        """The warning every page, PDF and sheet showing this snapshot carries; empty for real data.
        On a demo instance the register itself holds generated data, so every snapshot is stamped."""
        return SYNTHETIC_STAMP if self.sintetis or settings.PIAK_DEMO else ""


class IndicatorRun(models.Model):
    """One computation of every indicator definition for a snapshot."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="runs")
    definisi_sha256 = models.CharField(_("SHA-256 definisi"), max_length=64)
    definisi_versi = models.PositiveSmallIntegerField(_("versi definisi"))
    jumlah_nilai = models.PositiveIntegerField(default=0)
    durasi_ms = models.PositiveIntegerField(default=0)
    dihitung_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dihitung_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dihitung_pada", "-id"]
        verbose_name = _("perhitungan indikator")
        verbose_name_plural = _("perhitungan indikator")

    def __str__(self) -> str:
        return f"Perhitungan #{self.pk} untuk {self.snapshot}"


class IndicatorValue(models.Model):
    """One indicator for one region and one breakdown category, with what it was computed from:
    value = numerator × factor / denominator (see `catatan` for medians, growth and balance)."""

    run = models.ForeignKey(IndicatorRun, on_delete=models.CASCADE, related_name="values")
    indikator = models.CharField(max_length=64)
    tingkat = models.CharField(max_length=10)  # kota | kecamatan | kelurahan
    kode_wilayah = models.CharField(max_length=16)
    rincian = models.CharField(max_length=64, blank=True)
    kategori = models.CharField(max_length=64, blank=True)
    nilai = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    pembilang = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    penyebut = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    faktor = models.DecimalField(max_digits=24, decimal_places=12)
    catatan = models.TextField(blank=True)

    class Meta:
        verbose_name = _("nilai indikator")
        verbose_name_plural = _("nilai indikator")
        indexes = [models.Index(fields=["run", "indikator", "rincian"])]

    def __str__(self) -> str:
        return f"{self.indikator} {self.kode_wilayah} {self.rincian}={self.kategori}: {self.nilai}"
