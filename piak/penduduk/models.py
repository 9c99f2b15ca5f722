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


class Keluarga(models.Model):
    """A family card (Kartu Keluarga) with the region and address its members live at."""

    no_kk = models.CharField(_("nomor KK"), max_length=16)
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan", on_delete=models.PROTECT, related_name="keluarga", verbose_name=_("kelurahan")
    )
    rw = models.PositiveSmallIntegerField(_("RW"))
    rt = models.PositiveSmallIntegerField(_("RT"))
    alamat = models.CharField(_("alamat"), max_length=255)
    kode_pos = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        ordering = ["no_kk"]
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        # A constraint, not unique=True: PostgreSQL then keeps one index instead of two (no `_like`).
        constraints = [models.UniqueConstraint(fields=["no_kk"], name="keluarga_no_kk_unique")]

    def __str__(self) -> str:
        return self.no_kk


class StatusPenduduk(models.TextChoices):
    HIDUP = "hidup", _("Hidup")
    MATI = "mati", _("Mati")
    PINDAH = "pindah", _("Pindah keluar")
    GANDA = "ganda", _("Data ganda (dinonaktifkan)")


class Penduduk(models.Model):
    """A resident. `status`, `hadir_sejak` and `hadir_sampai` are kept by the event services only.

    The resident is present in the city from `hadir_sejak` (birth or move in; empty = since before the
    register) until the day before `hadir_sampai` (death or move out; empty = still present).
    """

    nik = models.CharField(_("NIK"), max_length=16)
    keluarga = models.ForeignKey(Keluarga, on_delete=models.PROTECT, related_name="anggota", verbose_name=_("keluarga"))
    nama = models.CharField(_("nama lengkap"), max_length=200)
    jenis_kelamin = models.PositiveSmallIntegerField(_("jenis kelamin"))
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    agama = models.PositiveSmallIntegerField(_("agama"))
    status_kawin = models.PositiveSmallIntegerField(_("status perkawinan"))
    shdk = models.PositiveSmallIntegerField(_("hubungan dalam keluarga"))
    golongan_darah = models.PositiveSmallIntegerField(_("golongan darah"), null=True, blank=True)
    pendidikan = models.PositiveSmallIntegerField(_("pendidikan"), null=True, blank=True)
    pekerjaan = models.PositiveSmallIntegerField(_("pekerjaan"), null=True, blank=True)
    cacat = models.PositiveSmallIntegerField(_("penyandang cacat"), null=True, blank=True)
    nik_ibu = models.CharField(_("NIK ibu"), max_length=16, blank=True)
    nama_ibu = models.CharField(_("nama ibu"), max_length=200, blank=True)
    nik_ayah = models.CharField(_("NIK ayah"), max_length=16, blank=True)
    nama_ayah = models.CharField(_("nama ayah"), max_length=200, blank=True)
    akta_lahir = models.BooleanField(_("memiliki akta lahir"), default=False)
    no_akta_lahir = models.CharField(_("nomor akta lahir"), max_length=50, blank=True)
    akta_kawin = models.BooleanField(_("memiliki akta kawin"), default=False)
    no_akta_kawin = models.CharField(_("nomor akta kawin"), max_length=50, blank=True)
    tanggal_kawin = models.DateField(_("tanggal kawin"), null=True, blank=True)
    akta_cerai = models.BooleanField(_("memiliki akta cerai"), default=False)
    no_akta_cerai = models.CharField(_("nomor akta cerai"), max_length=50, blank=True)
    tanggal_cerai = models.DateField(_("tanggal cerai"), null=True, blank=True)
    status_ktp = models.PositiveSmallIntegerField(_("status rekam KTP-el"), null=True, blank=True)
    kia = models.BooleanField(_("memiliki KIA"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=StatusPenduduk.choices, default=StatusPenduduk.HIDUP)
    hadir_sejak = models.DateField(_("tercatat sejak"), null=True, blank=True)
    hadir_sampai = models.DateField(_("tercatat sampai"), null=True, blank=True)

    class Meta:
        ordering = ["nama"]
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        constraints = [models.UniqueConstraint(fields=["nik"], name="penduduk_nik_unique")]
        # Every index slows the bulk import; name search scans the table (well under a second).
        indexes = [models.Index(fields=["hadir_sampai", "hadir_sejak"], name="penduduk_hadir_idx")]

    def __str__(self) -> str:
        return self.nama


class JenisPeristiwa(models.TextChoices):
    LAHIR = "lahir", _("Kelahiran")
    MATI = "mati", _("Kematian")
    PINDAH_KELUAR = "pindah_keluar", _("Pindah keluar")
    PINDAH_MASUK = "pindah_masuk", _("Pindah masuk")
    # A correction, not a vital event: the record was a second copy of another resident (never counted).
    DATA_GANDA = "data_ganda", _("Penonaktifan data ganda")


class TingkatPindah(models.IntegerChoices):
    """Destination level of a move out (`jenis_pindah` code table)."""

    KELURAHAN = 1, _("Pindah keluar kelurahan")
    KECAMATAN = 2, _("Pindah keluar kecamatan")
    KOTA = 3, _("Pindah keluar kota")
    PROVINSI = 4, _("Pindah keluar provinsi")


class Peristiwa(models.Model):
    """A vital or mobility event of one resident, dated when it happened and when it was reported."""

    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, related_name="peristiwa")
    jenis = models.CharField(_("jenis peristiwa"), max_length=16, choices=JenisPeristiwa.choices)
    tanggal_peristiwa = models.DateField(_("tanggal peristiwa"))
    tanggal_lapor = models.DateField(_("tanggal lapor"))
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    tingkat_pindah = models.PositiveSmallIntegerField(
        _("tujuan pindah"), choices=TingkatPindah.choices, null=True, blank=True
    )
    asal_tujuan = models.CharField(_("alamat asal/tujuan"), max_length=255, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    dicatat_oleh = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        ordering = ["tanggal_peristiwa", "id"]
        verbose_name = _("peristiwa penduduk")
        verbose_name_plural = _("peristiwa penduduk")
        indexes = [models.Index(fields=["tanggal_peristiwa", "jenis", "kelurahan"], name="peristiwa_tanggal_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tanggal_peristiwa:%d-%m-%Y}"


class KoreksiData(models.Model):
    """One correction of the register, with its reason and supporting document; nothing is deleted.

    `ubah_data` corrects one field (`kolom`) from `nilai_lama` to `nilai_baru` (both as text: ISO dates,
    code numbers). `data_ganda` retires `penduduk` as a second record of `pengganti`, the one kept; the
    retirement itself is a `Peristiwa` of kind DATA_GANDA.
    """

    class Jenis(models.TextChoices):
        UBAH_DATA = "ubah_data", _("Koreksi isian data")
        DATA_GANDA = "data_ganda", _("Penonaktifan data ganda")

    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, related_name="koreksi", verbose_name=_("penduduk"))
    jenis = models.CharField(_("jenis koreksi"), max_length=12, choices=Jenis.choices)
    kolom = models.CharField(_("isian"), max_length=40)
    nilai_lama = models.TextField(_("nilai lama"), blank=True)
    nilai_baru = models.TextField(_("nilai baru"), blank=True)
    alasan = models.TextField(_("alasan"))
    dokumen = models.FileField(_("dokumen pendukung"), upload_to="penduduk/koreksi/%Y/%m/")
    dokumen_sha256 = models.CharField(_("SHA-256 dokumen"), max_length=64)
    dokumen_nama = models.CharField(_("nama berkas dokumen"), max_length=255)
    pengganti = models.ForeignKey(
        Penduduk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("data yang dipertahankan"),
    )
    dilakukan_oleh = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    dilakukan_pada = models.DateTimeField(_("dilakukan pada"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-dilakukan_pada", "-id"]
        verbose_name = _("koreksi data penduduk")
        verbose_name_plural = _("koreksi data penduduk")
        indexes = [models.Index(fields=["dilakukan_oleh", "dilakukan_pada"], name="koreksi_oleh_pada_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.kolom} #{self.penduduk_id}"


class AksesDataPribadi(models.Model):
    """Who searched, saw or exported personal data, why (where asked), when and from where (UU 27/2022).

    `objek` names the data by its masked number and primary key, never by a full NIK or No. KK: the log
    is read by the Admin, a masked role. Each entry is also an audit event (`penduduk.akses_data_pribadi`).
    """

    class Jenis(models.TextChoices):
        CARI = "cari", _("Mencari")
        LIHAT = "lihat", _("Melihat")
        EKSPOR = "ekspor", _("Mengekspor")

    pengguna = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis akses"), max_length=10, choices=Jenis.choices)
    objek = models.CharField(_("data"), max_length=200)
    tujuan = models.CharField(_("keperluan"), max_length=200, blank=True)
    alamat_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    ditolak = models.CharField(_("ditolak karena"), max_length=200, blank=True)
    terjadi_pada = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-terjadi_pada"]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")
        indexes = [models.Index(fields=["pengguna", "jenis", "terjadi_pada"], name="akses_pengguna_jenis_idx")]

    REFUSALS = {
        "penduduk_cari_nomor_ditolak": _("mencari dengan angka tanpa hak"),
        "penduduk_cari_terlalu_sering": _("terlalu sering mencari"),
    }

    def __str__(self) -> str:
        return f"{self.pengguna} {self.jenis} {self.objek}"

    @property
    def ditolak_label(self) -> str:
        return str(self.REFUSALS.get(self.ditolak, self.ditolak))


class Impor(models.Model):
    """One run of the importer started from the web page, with its progress and report."""

    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu")
        BERJALAN = "berjalan", _("Berjalan")
        SELESAI = "selesai", _("Selesai")
        DITOLAK = "ditolak", _("Ditolak")
        GAGAL = "gagal", _("Berkas tidak terbaca")
        TERHENTI = "terhenti", _("Terhenti")

    class Pengodean(models.TextChoices):
        # Values are the reader's encodings (impor.reader.ENCODINGS).
        UTF8 = "utf-8", _("UTF-8 (tolak berkas yang bukan UTF-8)")
        WINDOWS_1252 = "windows-1252", _("Windows-1252 (ekspor Excel lama)")

    berkas = models.CharField(_("berkas"), max_length=255)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    lewati_tidak_valid = models.BooleanField(_("lewati baris tidak valid"), default=False)
    pengodean = models.CharField(
        _("pengodean bila bukan UTF-8"), max_length=20, choices=Pengodean.choices, default=Pengodean.UTF8
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ANTRE)
    ringkasan = models.JSONField(_("ringkasan"), default=dict, blank=True)
    pesan = models.TextField(_("pesan"), blank=True)
    laporan = models.CharField(_("berkas laporan"), max_length=255, blank=True)
    berkas_dihapus_pada = models.DateTimeField(_("berkas unggahan dihapus pada"), null=True, blank=True)
    diunggah_oleh = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    diunggah_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        ordering = ["-diunggah_pada"]
        verbose_name = _("impor data penduduk")
        verbose_name_plural = _("impor data penduduk")

    def __str__(self) -> str:
        return self.nama_asli
