from django.db import models
from django.utils.translation import gettext_lazy as _


class Kota(models.Model):
    kode = models.CharField(_("kode Kemendagri"), max_length=5, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)
    provinsi = models.CharField(_("provinsi"), max_length=100)

    class Meta:
        verbose_name = _("kota")
        verbose_name_plural = _("kota")

    def __str__(self) -> str:
        return self.nama


class Kecamatan(models.Model):
    class Certainty(models.TextChoices):
        CONFIRMED = "confirmed", _("pasti")
        UNCERTAIN = "uncertain", _("belum pasti")
        UNKNOWN = "unknown", _("tidak diketahui")

    kode = models.CharField(_("kode Kemendagri"), max_length=8, primary_key=True)
    kota = models.ForeignKey(Kota, on_delete=models.PROTECT, related_name="kecamatan")
    kode_bps = models.CharField(_("kode BPS"), max_length=7, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    nama_lain = models.CharField(_("ejaan lain"), max_length=100, blank=True)
    luas_km2 = models.DecimalField(_("luas (km²)"), max_digits=7, decimal_places=2, null=True, blank=True)
    luas_basis = models.CharField(_("dasar luas"), max_length=200, blank=True)
    luas_kepastian = models.CharField(_("kepastian luas"), max_length=10, choices=Certainty.choices)
    luas_catatan = models.CharField(_("catatan luas"), max_length=200, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.nama


class Kelurahan(models.Model):
    kode = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="kelurahan")
    nama = models.CharField(_("nama"), max_length=100)
    nama_kepmendagri = models.CharField(_("nama menurut Kepmendagri 2025"), max_length=100)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return self.nama
