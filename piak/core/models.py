from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .waktu import waktu_wib


class Role(models.Model):
    """A jabatan of PRODUCT.md §2. Rows are reference data created by a migration."""

    code = models.CharField(max_length=32, primary_key=True)
    nama = models.CharField(_("nama jabatan"), max_length=120)
    urutan = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["urutan"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self) -> str:
        return self.nama


class User(AbstractUser):
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    nama_cetak = models.CharField(
        _("nama untuk dicetak"),
        max_length=200,
        blank=True,
        help_text=_("Nama dengan gelar, seperti di surat."),
    )
    jabatan = models.CharField(_("jabatan (teks)"), max_length=200, blank=True)
    harus_ganti_sandi = models.BooleanField(
        _("harus ganti kata sandi"),
        default=False,
        help_text=_("Kata sandi dibuat oleh admin; pengguna harus menggantinya saat masuk (kecuali di instans demo)."),
    )
    # The optional second factor (RFC 6238): a base32 secret, active once confirmed with a code; the last
    # time step used, so one code is never accepted twice.
    totp_rahasia = models.CharField(_("rahasia TOTP"), max_length=64, blank=True, editable=False)
    totp_aktif = models.BooleanField(_("verifikasi dua langkah aktif"), default=False, editable=False)
    totp_langkah_terakhir = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def display_name(self) -> str:
        return self.nama_cetak or self.get_full_name() or self.username


class Capacity(models.TextChoices):
    DEFINITIF = "definitif", _("Definitif")
    PLT = "plt", _("Plt. (Pelaksana Tugas)")
    PLH = "plh", _("Plh. (Pelaksana Harian)")


class HoldingStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu konfirmasi")
    BERLAKU = "berlaku", _("Berlaku")
    DITOLAK = "ditolak", _("Ditolak")


# The holdings that give rights: definitive ones, and acting ones a second person has confirmed.
IN_FORCE = Q(capacity=Capacity.DEFINITIF) | Q(dikonfirmasi_pada__isnull=False, ditolak_pada__isnull=True)


class RoleHolding(models.Model):
    """A user holds a role for a date range, definitively or as acting official (Plt/Plh)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_holdings", verbose_name=_("pejabat"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("jabatan"))
    capacity = models.CharField(_("kedudukan"), max_length=10, choices=Capacity.choices)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    nomor_sk = models.CharField(_("nomor SK / surat perintah"), max_length=100, blank=True)
    tanggal_sk = models.DateField(_("tanggal SK / surat perintah"), null=True, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    # An acting appointment is entered by one person and takes effect once a second person confirms it.
    diangkat_oleh = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    dikonfirmasi_oleh = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("dikonfirmasi oleh")
    )
    dikonfirmasi_pada = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    ditolak_oleh = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ditolak oleh")
    )
    ditolak_pada = models.DateTimeField(_("ditolak pada"), null=True, blank=True)
    alasan_tolak = models.CharField(_("alasan penolakan"), max_length=255, blank=True)

    class Meta:
        ordering = ["role__urutan", "mulai"]
        verbose_name = _("pemegang jabatan")
        verbose_name_plural = _("pemegang jabatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=F("mulai")),
                name="roleholding_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(capacity="definitif") | Q(selesai__isnull=False),
                name="roleholding_acting_has_end",
            ),
            models.CheckConstraint(
                condition=Q(dikonfirmasi_pada__isnull=True) | Q(ditolak_pada__isnull=True),
                name="roleholding_confirmed_or_rejected",
            ),
        ]
        indexes = [models.Index(fields=["role", "mulai"]), models.Index(fields=["user", "mulai"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.capacity_prefix}{self.role}"

    @property
    def is_acting(self) -> bool:
        return self.capacity != Capacity.DEFINITIF

    @property
    def status(self) -> HoldingStatus:
        """Whether the holding gives rights: definitive ones at once, acting ones once confirmed."""
        if self.ditolak_pada is not None:
            return HoldingStatus.DITOLAK
        if self.is_acting and self.dikonfirmasi_pada is None:
            return HoldingStatus.MENUNGGU
        return HoldingStatus.BERLAKU

    @property
    def capacity_prefix(self) -> str:
        """'Plt. ' or 'Plh. ' before a jabatan on letters and screens; nothing when definitive."""
        return {Capacity.PLT: "Plt. ", Capacity.PLH: "Plh. "}.get(self.capacity, "")


class LoginFailure(models.Model):
    """One failed login: the throttle table of `core.lockout` (per address, and per username from an address)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    terjadi_pada = models.DateTimeField(auto_now_add=True, db_index=True)
    mengunci = models.BooleanField(default=False)  # this failure locked the username for its address

    def __str__(self) -> str:
        return f"{self.username} @ {waktu_wib(self.terjadi_pada)}"


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every action. Written only by `core.audit.audit_append`."""

    seq = models.PositiveBigIntegerField(unique=True)
    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32, blank=True)
    acting_as = models.CharField(max_length=10, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    document_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """Single row holding the chain's tip; locking it serialises appends and reveals a removed tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class OfficeHours(models.Model):
    """Office hours for one weekday (0 = Monday). A closed day has no hours."""

    weekday = models.PositiveSmallIntegerField(
        _("hari"),
        unique=True,
        choices=[
            (0, _("Senin")),
            (1, _("Selasa")),
            (2, _("Rabu")),
            (3, _("Kamis")),
            (4, _("Jumat")),
            (5, _("Sabtu")),
            (6, _("Minggu")),
        ],
    )
    is_working = models.BooleanField(_("hari kerja"), default=True)
    opens = models.TimeField(_("jam buka"), null=True, blank=True)
    closes = models.TimeField(_("jam tutup"), null=True, blank=True)

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_working=False) | Q(opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="officehours_open_before_close",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_weekday_display())


class DayOff(models.Model):
    """A day off beyond the national holidays: cuti bersama, a regional holiday, an office closure."""

    class Kind(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        LIBUR_DAERAH = "libur_daerah", _("Libur daerah")
        LAINNYA = "lainnya", _("Lainnya")

    tanggal = models.DateField(_("tanggal"), unique=True)
    nama = models.CharField(_("keterangan"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.CUTI_BERSAMA)

    class Meta:
        ordering = ["tanggal"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan (cuti bersama)")

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"


class WorkerHeartbeat(models.Model):
    """One run of the task worker (`piak db_worker`): where it runs and when it last said it was alive.

    Written by `core.heartbeat`, read by `/sehat/`: any app server sees every host's workers. A worker that
    stops cleanly sets `berhenti_pada`; a killed one simply stops beating.
    """

    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    mulai = models.DateTimeField()
    detak_terakhir = models.DateTimeField(db_index=True)
    berhenti_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("detak pekerja tugas")
        verbose_name_plural = _("detak pekerja tugas")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class StandardPause(models.Model):
    """A period in which the SOPs' time standards stop counting: an outage of the data network or SIAK
    that, as the SOPs warn, stops the office's work. Whoever detects the outage opens and closes it."""

    mulai = models.DateTimeField(_("mulai"))
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)
    alasan = models.CharField(_("alasan"), max_length=300)
    sumber = models.CharField(_("sumber"), max_length=100, help_text=_("Misalnya nomor insiden TIK."))
    sumber_url = models.CharField(_("tautan sumber"), max_length=300, blank=True)
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__isnull=True) | models.Q(selesai__gt=models.F("mulai")),
                name="standardpause_ends_after_start",
            )
        ]
        verbose_name = _("jeda standar waktu")
        verbose_name_plural = _("jeda standar waktu")

    def __str__(self) -> str:
        return f"{self.sumber}: {self.alasan}"


class BackupLog(models.Model):
    """One backup, restore or restore drill (docs/backup.md). Rows stay when retention deletes the archive."""

    class Kind(models.TextChoices):
        CADANGAN = "cadangan", _("Cadangan")
        LATIHAN = "latihan", _("Latihan pemulihan")
        PEMULIHAN = "pemulihan", _("Pemulihan")

    class Trigger(models.TextChoices):
        PERINTAH = "perintah", _("Perintah piak")
        JADWAL = "jadwal", _("Tugas harian")

    jenis = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    mulai = models.DateTimeField(_("mulai"))
    selesai = models.DateTimeField(_("selesai"))
    berhasil = models.BooleanField(_("berhasil"))
    arsip = models.CharField(_("berkas arsip"), max_length=1000)
    ukuran = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 arsip"), max_length=64, blank=True)
    pesan = models.TextField(_("pesan"), blank=True)
    pemicu = models.CharField(_("dimulai oleh"), max_length=12, choices=Trigger.choices)
    pengguna_sistem = models.CharField(_("pengguna sistem operasi"), max_length=64, blank=True)
    dihapus_pada = models.DateTimeField(_("arsip dihapus (retensi)"), null=True, blank=True)

    class Meta:
        ordering = ["-mulai"]
        indexes = [models.Index(fields=["jenis", "berhasil", "-selesai"], name="core_backup_latest")]
        verbose_name = _("catatan cadangan")
        verbose_name_plural = _("catatan cadangan")

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.mulai:%d-%m-%Y %H:%M} ({'berhasil' if self.berhasil else 'gagal'})"
