from django.db import models
from django.utils.translation import gettext_lazy as _


class KodeReferensi(models.Model):
    """One code of a resident attribute table (agama, pendidikan, SHDK, ...) with its import aliases."""

    tabel = models.CharField(_("tabel"), max_length=64)
    kode = models.PositiveSmallIntegerField(_("kode"))
    label = models.CharField(_("label"), max_length=200)
    alias = models.JSONField(_("alias impor"), default=list, blank=True)

    class Meta:
        ordering = ["tabel", "kode"]
        verbose_name = _("kode referensi")
        verbose_name_plural = _("kode referensi")
        constraints = [models.UniqueConstraint(fields=["tabel", "kode"], name="kode_referensi_unique")]

    def __str__(self) -> str:
        return f"{self.tabel} {self.kode}: {self.label}"
