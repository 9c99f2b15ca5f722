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
    # penduduk.KoreksiData's id; a plain column until that model is merged, then a ForeignKey.
    koreksi_id = models.PositiveIntegerField(null=True, blank=True)
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
                fields=["koreksi_id"], condition=Q(koreksi_id__isnull=False), name="catatan_koreksi_once"
            ),
            models.CheckConstraint(
                condition=(
                    Q(jenis="impor", impor__isnull=False, peristiwa__isnull=True, koreksi_id__isnull=True)
                    | Q(jenis="peristiwa", impor__isnull=True, peristiwa__isnull=False, koreksi_id__isnull=True)
                    | Q(jenis="koreksi", impor__isnull=True, peristiwa__isnull=True, koreksi_id__isnull=False)
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
