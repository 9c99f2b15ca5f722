from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .definition import Definition, definition_parse


@lru_cache(maxsize=64)
def _parsed(sha256: str, yaml_text: str) -> Definition:
    """Published versions never change, so each text is parsed once per process."""
    return definition_parse(yaml_text)


class SopVersion(models.Model):
    """An immutable, published version of one SOP definition. Cases are pinned to the version they began on."""

    kode = models.CharField(_("kode SOP"), max_length=32)
    nomor_versi = models.PositiveIntegerField(_("versi"))
    yaml_text = models.TextField(_("definisi (YAML)"))
    sha256 = models.CharField(max_length=64)
    diterbitkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diterbitkan_pada = models.DateTimeField(auto_now_add=True)
    catatan = models.CharField(_("catatan perubahan"), max_length=300, blank=True)

    class Meta:
        ordering = ["kode", "-nomor_versi"]
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        constraints = [models.UniqueConstraint(fields=["kode", "nomor_versi"], name="sopversion_unique")]

    def __str__(self) -> str:
        return f"{self.kode} v{self.nomor_versi}"

    @property
    def definition(self) -> Definition:
        return _parsed(self.sha256, self.yaml_text)


class Case(models.Model):
    """One run of an SOP (berkas): a report for an agency, or a work plan of a section."""

    class Status(models.TextChoices):
        BERJALAN = "berjalan", _("Berjalan")
        SELESAI = "selesai", _("Selesai")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    versi = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="cases")
    judul = models.CharField(_("judul"), max_length=250)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BERJALAN)
    dimulai_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dimulai_pada = models.DateTimeField()
    selesai_pada = models.DateTimeField(null=True, blank=True)
    alasan_batal = models.TextField(blank=True)

    class Meta:
        ordering = ["-dimulai_pada"]
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")

    def __str__(self) -> str:
        return f"{self.versi.kode} #{self.pk} {self.judul}"


class DocumentVersion(models.Model):
    """A version of the document a case carries; paraf and signatures are bound to its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    nomor = models.PositiveIntegerField()
    berkas = models.FileField(upload_to="sop/dokumen/%Y/%m/", blank=True)
    nama_berkas = models.CharField(max_length=255, blank=True)
    isi = models.JSONField(default=dict, blank=True)  # the work plan, for SOP 2 and 3
    sha256 = models.CharField(max_length=64)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who wrote the content, when it was written elsewhere (a letter revised on its own page by the Kabid and
    # taken into the case by the Kasi): separation of duties looks at both.
    disusun_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "nomor"]
        constraints = [models.UniqueConstraint(fields=["case", "nomor"], name="documentversion_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} dokumen v{self.nomor}"


class StepRun(models.Model):
    """One attempt at one step of a case: a new row each time a step is (re)opened."""

    class Outcome(models.TextChoices):
        SELESAI = "selesai", _("Selesai")
        PARAF = "paraf", _("Diparaf")
        DISPOSISI = "disposisi", _("Didisposisikan")
        DITANDATANGANI = "ditandatangani", _("Ditandatangani")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="step_runs")
    langkah = models.PositiveSmallIntegerField(_("langkah"))
    percobaan = models.PositiveSmallIntegerField(_("percobaan"), default=1)
    peran = models.CharField(_("peran pelaksana"), max_length=32)
    ditugaskan_ke = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong: siapa saja yang memegang peran itu."),
    )
    dimulai_pada = models.DateTimeField()
    tenggat = models.DateTimeField(null=True, blank=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    peran_dipegang = models.CharField(max_length=32, blank=True)
    sebagai = models.CharField(_("kedudukan"), max_length=10, blank=True)  # definitif / plt / plh
    hasil = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    kembali_ke = models.PositiveSmallIntegerField(null=True, blank=True)
    disposisi_ke = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField(default=list, blank=True)
    document_hash = models.CharField(max_length=64, blank=True)
    dibatalkan_pada = models.DateTimeField(
        null=True, blank=True, help_text=_("Paraf yang gugur karena dokumen dikembalikan untuk perbaikan.")
    )

    class Meta:
        ordering = ["case", "dimulai_pada", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "langkah", "percobaan"], name="steprun_unique_attempt"),
            # At most one open step per case: the engine is strictly sequential.
            models.UniqueConstraint(fields=["case"], condition=Q(selesai_pada__isnull=True), name="steprun_one_open"),
        ]
        indexes = [models.Index(fields=["peran"], condition=Q(selesai_pada__isnull=True), name="steprun_open_by_role")]

    def __str__(self) -> str:
        return f"{self.case_id} langkah {self.langkah} ({self.percobaan})"

    @property
    def is_open(self) -> bool:
        return self.selesai_pada is None


class Notification(models.Model):
    """In-app notice; `(step_run, level, user)` is unique, so each notice is sent exactly once."""

    class Level(models.TextChoices):
        PERINGATAN = "peringatan", _("Peringatan")
        TERLAMBAT = "terlambat", _("Terlambat")
        TUGAS = "tugas", _("Tugas baru")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
        SELESAI = "selesai", _("Berkas selesai")
        DIBATALKAN = "dibatalkan", _("Berkas dibatalkan")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi")
    step_run = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="notifications")
    level = models.CharField(max_length=12, choices=Level.choices)
    pesan = models.TextField()
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    dibaca_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dibuat_pada"]
        constraints = [models.UniqueConstraint(fields=["step_run", "level", "user"], name="notification_once")]

    def __str__(self) -> str:
        return self.pesan


class ComplianceExport(models.Model):
    """A compliance report PDF for a period, rendered by the worker: a year's cases take minutes to lay out."""

    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu giliran")
        BERJALAN = "berjalan", _("Sedang disusun")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    awal = models.DateField(_("dari tanggal"))
    akhir = models.DateField(_("sampai tanggal"))
    jumlah_berkas = models.PositiveIntegerField(_("jumlah berkas"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ANTRE)
    berkas = models.FileField(upload_to="sop/kepatuhan/%Y/", blank=True)
    diminta_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diminta_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    pesan = models.TextField(blank=True)

    class Meta:
        ordering = ["-diminta_pada", "-id"]
        verbose_name = _("laporan kepatuhan (PDF)")
        verbose_name_plural = _("laporan kepatuhan (PDF)")

    def __str__(self) -> str:
        return f"Laporan kepatuhan {self.awal:%d-%m-%Y} s.d. {self.akhir:%d-%m-%Y}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.ANTRE, self.Status.BERJALAN)
