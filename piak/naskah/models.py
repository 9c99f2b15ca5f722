from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PermintaanData(models.Model):
    """A request for population data from an agency (instansi terkait): where SOP 1 starts."""

    instansi = models.CharField(_("instansi"), max_length=200)
    jabatan_tujuan = models.CharField(
        _("jabatan yang dituju"),
        max_length=200,
        help_text=_("Untuk alamat surat, mis. Kepala Badan Pusat Statistik Kota Palembang."),
    )
    nomor_surat = models.CharField(_("nomor surat permohonan"), max_length=100)
    tanggal_surat = models.DateField(_("tanggal surat permohonan"))
    keperluan = models.TextField(_("keperluan"))
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    nomor_pks = models.CharField(_("nomor perjanjian kerja sama (PKS)"), max_length=100, blank=True)
    tabel_diminta = models.JSONField(_("tabel yang diminta"), default=list)
    tanggal_data = models.DateField(_("data per tanggal"))
    email_kontak = models.EmailField(_("surel kontak"))
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("permintaan data")
        verbose_name_plural = _("permintaan data")

    def __str__(self) -> str:
        return f"{self.instansi} — {self.nomor_surat}"


class Naskah(models.Model):
    """A Surat Pengantar with its attachments, from draft through signature, delivery and archive."""

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DITANDATANGANI = "ditandatangani", _("Ditandatangani")
        DIKIRIM = "dikirim", _("Dikirim")
        DITERIMA = "diterima", _("Diterima instansi")
        DIARSIPKAN = "diarsipkan", _("Diarsipkan")
        DICABUT = "dicabut", _("Dicabut")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    class Sifat(models.TextChoices):
        BIASA = "Biasa", _("Biasa")
        PENTING = "Penting", _("Penting")
        SEGERA = "Segera", _("Segera")
        TERBATAS = "Terbatas", _("Terbatas")
        RAHASIA = "Rahasia", _("Rahasia")

    permintaan = models.ForeignKey(PermintaanData, on_delete=models.PROTECT, related_name="naskah")
    # The SOP 1 case that runs this letter: its draft versions are the case's documents, it is numbered and
    # signed at the signing step and must be delivered before the last step completes (naskah.sop_steps).
    case = models.OneToOneField("sop.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="naskah")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAF)
    perihal = models.CharField(_("perihal"), max_length=300)
    sifat = models.CharField(_("sifat"), max_length=20, choices=Sifat.choices, default=Sifat.BIASA)
    tembusan = models.JSONField(_("tembusan"), default=list)
    # The snapshot the report was computed from (piak.statistik), cited in the letter's body.
    snapshot_ref = models.CharField(_("rujukan snapshot"), max_length=100)
    snapshot_tanggal = models.DateField(_("tanggal potong data"))
    snapshot_baris = models.PositiveBigIntegerField(_("jumlah baris"))
    snapshot_sha256 = models.CharField(_("checksum snapshot (SHA-256)"), max_length=64)
    penyusun = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    # Final number, set once at signature.
    tahun = models.PositiveSmallIntegerField(null=True, blank=True)
    nomor_urut = models.PositiveIntegerField(null=True, blank=True)
    nomor = models.CharField(_("nomor"), max_length=100, blank=True)
    tanggal = models.DateField(_("tanggal surat"), null=True, blank=True)
    penandatangan = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    penandatangan_kedudukan = models.CharField(max_length=10, blank=True)
    ditandatangani_pada = models.DateTimeField(null=True, blank=True)
    token_verifikasi = models.CharField(max_length=64, blank=True)
    # Withdrawal (pencabutan) of a signed letter by the Kepala Dinas or their acting official.
    dicabut_pada = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dicabut_kedudukan = models.CharField(max_length=10, blank=True)
    alasan_cabut = models.CharField(_("alasan pencabutan"), max_length=500, blank=True)
    # A draft whose case was cancelled.
    dibatalkan_pada = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    dibatalkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alasan_batal = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)

    SIGNED = (Status.DITANDATANGANI, Status.DIKIRIM, Status.DITERIMA, Status.DIARSIPKAN)

    class Meta:
        ordering = ["-dibuat_pada", "-id"]
        verbose_name = _("naskah")
        verbose_name_plural = _("naskah")
        constraints = [
            models.UniqueConstraint(
                fields=["tahun", "nomor_urut"],
                condition=Q(nomor_urut__isnull=False),
                name="naskah_nomor_unik",
            ),
            models.UniqueConstraint(
                fields=["token_verifikasi"], condition=~Q(token_verifikasi=""), name="naskah_token_unik"
            ),
        ]

    def __str__(self) -> str:
        return self.nomor or f"Draf #{self.pk}"

    @property
    def versi_terakhir(self) -> "NaskahVersi | None":
        return self.versi.order_by("-nomor_versi").first()


class SigningPassphrase(models.Model):
    """The signer's passphrase (as BSrE asks NIK + passphrase), separate from the login password.
    Locked after too many wrong tries until an Admin unlocks it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signing_passphrase",
        verbose_name=_("pengguna"),
    )
    hash = models.CharField(max_length=256)
    gagal = models.PositiveSmallIntegerField(_("salah berturut-turut"), default=0)
    terkunci_pada = models.DateTimeField(_("terkunci pada"), null=True, blank=True)
    diatur_pada = models.DateTimeField(_("diatur pada"), auto_now=True)

    class Meta:
        verbose_name = _("passphrase penandatanganan")
        verbose_name_plural = _("passphrase penandatanganan")

    def __str__(self) -> str:
        return f"{self.user}"


class NaskahVersi(models.Model):
    """One rendering of the letter. Paraf and signature are bound to `sha256`, the hash of its bytes."""

    class Jenis(models.TextChoices):
        DRAF = "draf", _("Draf")
        FINAL = "final", _("Final bertanda tangan")

    naskah = models.ForeignKey(Naskah, on_delete=models.PROTECT, related_name="versi")
    nomor_versi = models.PositiveIntegerField()
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    berkas = models.FileField(upload_to="naskah/")
    sha256 = models.CharField(max_length=64)
    ukuran = models.PositiveBigIntegerField()
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["naskah", "nomor_versi"]
        constraints = [models.UniqueConstraint(fields=["naskah", "nomor_versi"], name="naskahversi_unik")]

    def __str__(self) -> str:
        return f"{self.naskah} v{self.nomor_versi}"


class Lampiran(models.Model):
    """A file sent with the letter (the report PDF, the XLSX), supplied by the caller as bytes."""

    naskah = models.ForeignKey(Naskah, on_delete=models.PROTECT, related_name="lampiran")
    urutan = models.PositiveSmallIntegerField()
    nama = models.CharField(max_length=200)
    judul = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    berkas = models.FileField(upload_to="naskah/lampiran/")
    sha256 = models.CharField(max_length=64)
    ukuran = models.PositiveBigIntegerField()
    aktif = models.BooleanField(default=True)

    class Meta:
        ordering = ["naskah", "urutan"]

    def __str__(self) -> str:
        return self.nama


class Penghitung(models.Model):
    """The last number given out for (jenis, tahun). Locked with select_for_update while a number is taken."""

    jenis = models.CharField(max_length=20)
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jenis", "tahun"], name="penghitung_unik")]

    def __str__(self) -> str:
        return f"{self.jenis} {self.tahun}: {self.terakhir}"


class BlokNomor(models.Model):
    """Numbers reserved for paper letters while the system is unavailable (outage mode)."""

    tahun = models.PositiveSmallIntegerField()
    mulai = models.PositiveIntegerField()
    selesai = models.PositiveIntegerField()
    alasan = models.CharField(_("alasan"), max_length=300)
    dipesan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dipesan_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "-mulai"]

    def __str__(self) -> str:
        return f"{self.tahun}: {self.mulai}–{self.selesai}"


class NomorCadangan(models.Model):
    """One reserved number, reconciled afterwards as used by a paper letter or void."""

    class Status(models.TextChoices):
        TERSEDIA = "tersedia", _("Belum direkonsiliasi")
        DIPAKAI = "dipakai", _("Dipakai surat kertas")
        BATAL = "batal", _("Dibatalkan")

    blok = models.ForeignKey(BlokNomor, on_delete=models.PROTECT, related_name="nomor")
    tahun = models.PositiveSmallIntegerField()
    nomor_urut = models.PositiveIntegerField()
    nomor = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TERSEDIA)
    perihal = models.CharField(max_length=300, blank=True)
    tujuan = models.CharField(max_length=300, blank=True)
    tanggal_surat = models.DateField(null=True, blank=True)
    alasan_batal = models.CharField(max_length=300, blank=True)
    direkonsiliasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    direkonsiliasi_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tahun", "nomor_urut"]
        constraints = [models.UniqueConstraint(fields=["tahun", "nomor_urut"], name="nomorcadangan_unik")]

    def __str__(self) -> str:
        return self.nomor


class Pengiriman(models.Model):
    """One delivery of a signed letter to the agency: by email, by download link, or both."""

    class Cara(models.TextChoices):
        SUREL = "surel", _("Surel dengan lampiran")
        TAUTAN = "tautan", _("Tautan unduh")

    naskah = models.ForeignKey(Naskah, on_delete=models.PROTECT, related_name="pengiriman")
    cara = models.CharField(max_length=10, choices=Cara.choices)
    kepada = models.EmailField(blank=True)
    tautan_unduh = models.BooleanField(default=False)
    kedaluwarsa = models.DateTimeField(null=True, blank=True)
    dikirim_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dikirim_pada = models.DateTimeField(auto_now_add=True)
    diterima_pada = models.DateTimeField(null=True, blank=True)
    diterima_oleh = models.CharField(_("nama penerima"), max_length=200, blank=True)
    diterima_via = models.CharField(max_length=20, blank=True)
    catatan_terima = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-dikirim_pada", "-id"]

    def __str__(self) -> str:
        return f"{self.naskah} → {self.kepada or self.get_cara_display()}"


class Arsip(models.Model):
    """The electronic archive record of a completed letter, linked to its paper file by `nomor_register`."""

    naskah = models.OneToOneField(Naskah, on_delete=models.PROTECT, related_name="arsip")
    tahun = models.PositiveSmallIntegerField()
    nomor_urut = models.PositiveIntegerField()
    nomor_register = models.CharField(max_length=50, unique=True)
    diarsipkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diarsipkan_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun", "-nomor_urut"]

    def __str__(self) -> str:
        return self.nomor_register


class ArsipBerkas(models.Model):
    class Peran(models.TextChoices):
        SURAT = "surat", _("Surat bertanda tangan")
        LAMPIRAN = "lampiran", _("Lampiran")
        JEJAK_AUDIT = "jejak_audit", _("Jejak audit (JSON)")
        LEMBAR_ARSIP = "lembar_arsip", _("Lembar arsip")

    arsip = models.ForeignKey(Arsip, on_delete=models.PROTECT, related_name="berkas")
    peran = models.CharField(max_length=20, choices=Peran.choices)
    nama = models.CharField(max_length=200)
    berkas = models.FileField(upload_to="arsip/")
    sha256 = models.CharField(max_length=64)
    ukuran = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["arsip", "id"]

    def __str__(self) -> str:
        return f"{self.arsip} {self.nama}"
