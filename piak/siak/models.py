"""SOP 2's work records, each tied to a case of the engine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CatatanKerja(models.Model):
    """Step 7's work log: one import, event or correction of the register, linked to the case it served.

    An object serves one case only (the unique constraints), so no work is counted twice."""

    class Jenis(models.TextChoices):
        IMPOR = "impor", _("Impor ekspor SIAK")
        PERISTIWA = "peristiwa", _("Peristiwa kependudukan")
        KOREKSI = "koreksi", _("Koreksi data")

    class Cara(models.TextChoices):
        OTOMATIS = "otomatis", _("Otomatis")
        MANUAL = "manual", _("Manual")

    case = models.ForeignKey("sop.Case", on_delete=models.PROTECT, related_name="catatan_kerja")
    step_run = models.ForeignKey("sop.StepRun", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    impor = models.ForeignKey("penduduk.Impor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    peristiwa = models.ForeignKey(
        "penduduk.Peristiwa", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    koreksi = models.ForeignKey(
        "penduduk.KoreksiData", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cara = models.CharField(_("cara"), max_length=10, choices=Cara.choices)
    ditautkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ditautkan_pada = models.DateTimeField(_("ditautkan pada"))

    class Meta:
        ordering = ["case", "ditautkan_pada", "id"]
        verbose_name = _("catatan kerja")
        verbose_name_plural = _("catatan kerja")
        constraints = [
            models.UniqueConstraint(fields=["impor"], condition=Q(impor__isnull=False), name="catatan_impor_once"),
            models.UniqueConstraint(
                fields=["peristiwa"], condition=Q(peristiwa__isnull=False), name="catatan_peristiwa_once"
            ),
            models.UniqueConstraint(
                fields=["koreksi"], condition=Q(koreksi__isnull=False), name="catatan_koreksi_once"
            ),
            models.CheckConstraint(
                condition=(
                    Q(jenis="impor", impor__isnull=False, peristiwa__isnull=True, koreksi__isnull=True)
                    | Q(jenis="peristiwa", impor__isnull=True, peristiwa__isnull=False, koreksi__isnull=True)
                    | Q(jenis="koreksi", impor__isnull=True, peristiwa__isnull=True, koreksi__isnull=False)
                ),
                name="catatan_one_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} #{self.object_id} (berkas {self.case_id})"

    @property
    def object_id(self) -> int:
        return self.impor_id or self.peristiwa_id or self.koreksi_id


class Pemeliharaan(models.Model):
    """A maintenance or installation job done during step 7, with the time it took."""

    class Jenis(models.TextChoices):
        PEMELIHARAAN = "pemeliharaan", _("Pemeliharaan aplikasi")
        INSTALASI = "instalasi", _("Instalasi/pembaruan perangkat dan klien SIAK")

    case = models.ForeignKey("sop.Case", on_delete=models.PROTECT, related_name="pemeliharaan")
    step_run = models.ForeignKey("sop.StepRun", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis"), max_length=12, choices=Jenis.choices)
    uraian = models.CharField(_("uraian"), max_length=300)
    perangkat = models.CharField(_("perangkat/aplikasi"), max_length=150)
    hasil = models.CharField(_("hasil"), max_length=300)
    menit = models.PositiveIntegerField(_("waktu (menit)"))
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dicatat_pada = models.DateTimeField(_("dicatat pada"))

    class Meta:
        ordering = ["case", "dicatat_pada", "id"]
        verbose_name = _("pemeliharaan")
        verbose_name_plural = _("pemeliharaan")
        constraints = [models.CheckConstraint(condition=Q(menit__gt=0), name="pemeliharaan_menit_positive")]

    def __str__(self) -> str:
        return self.uraian


class BahanPenyiapan(models.Model):
    """What step 5 (Penyiapan Data Penduduk) prepared: a frozen data-quality run of the register, a SIAK
    export checked by a dry-run import, or a list of records to correct. Step 5 completes only with one."""

    class Jenis(models.TextChoices):
        KUALITAS_DATA = "kualitas_data", _("Laporan kualitas data")
        UJI_IMPOR = "uji_impor", _("Uji impor ekspor SIAK")
        DAFTAR_KOREKSI = "daftar_koreksi", _("Daftar data yang akan dikoreksi")

    case = models.ForeignKey("sop.Case", on_delete=models.PROTECT, related_name="bahan_penyiapan")
    step_run = models.ForeignKey("sop.StepRun", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis"), max_length=16, choices=Jenis.choices)
    # The figures kept (masked: identity numbers to their region digits), shown on the case and the Lembar.
    ringkasan = models.JSONField(default=dict)
    # A checked SIAK export is named and hashed, not kept: it holds every resident's personal data.
    berkas_nama = models.CharField(max_length=255, blank=True)
    berkas_sha256 = models.CharField(max_length=64, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(_("dibuat pada"))

    class Meta:
        ordering = ["case", "dibuat_pada", "id"]
        verbose_name = _("bahan penyiapan data")
        verbose_name_plural = _("bahan penyiapan data")

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} (berkas {self.case_id})"
