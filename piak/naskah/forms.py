from django import forms
from django.utils.translation import gettext_lazy as _

from piak.core.waktu import waktu_wib
from piak.statistik.selectors import real_snapshots_at
from piak.web.charts import number_id
from piak.web.forms import DateInput
from piak.web.uploads import PDF, XLSX, CheckedFileField, UploadPolicy

from .models import Naskah, PermintaanData
from .tables import TABEL_LAPORAN

PDF_UPLOAD = UploadPolicy(kinds=(PDF,), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
VERIFICATION_UPLOAD = UploadPolicy(kinds=(PDF,), max_bytes_setting="PIAK_VERIFIKASI_MAX_BYTES")
XLSX_UPLOAD = UploadPolicy(kinds=(XLSX,), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render `{{ form }}`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class PermintaanForm(StyledForm):
    instansi = forms.CharField(label=_("Instansi"), max_length=200)
    jabatan_tujuan = forms.CharField(
        label=_("Jabatan yang dituju"),
        max_length=200,
        help_text=_("Untuk alamat surat, mis. Kepala Badan Pusat Statistik Kota Palembang."),
    )
    nomor_surat = forms.CharField(label=_("Nomor surat permohonan"), max_length=100)
    tanggal_surat = forms.DateField(label=_("Tanggal surat permohonan"), widget=DateInput())
    keperluan = forms.CharField(label=_("Keperluan"), widget=forms.Textarea(attrs={"rows": 3}))
    dasar_hukum = forms.CharField(label=_("Dasar hukum"), max_length=300, required=False)
    nomor_pks = forms.CharField(label=_("Nomor perjanjian kerja sama (PKS)"), max_length=100, required=False)
    tabel_diminta = forms.MultipleChoiceField(
        label=_("Tabel yang diminta"),
        choices=[(code, f"{code} — {judul}") for code, judul in TABEL_LAPORAN.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    tanggal_data = forms.DateField(label=_("Data per tanggal"), widget=DateInput())
    email_kontak = forms.EmailField(label=_("Surel kontak"))


class MulaiSop1Form(StyledForm):
    """Which snapshot the report of a data request is computed from: the register snapshots at the
    requested date (newest first and preselected), or a new one frozen from the register now."""

    NEW = "baru"
    snapshot = forms.ChoiceField(
        label=_("Data laporan"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Snapshot itu tidak sesuai dengan permintaan ini; pilih dari daftar.")},
    )

    def __init__(self, *args, permintaan: PermintaanData, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.snapshots = {str(s.pk): s for s in real_snapshots_at(permintaan.tanggal_data)}
        field = self.fields["snapshot"]
        field.choices = [
            *((pk, self._label(s)) for pk, s in self.snapshots.items()),
            (self.NEW, _("Bekukan snapshot baru dari register")),
        ]
        field.initial = next(iter(self.snapshots), self.NEW)
        field.widget.attrs["class"] = "form-check-input"

    @staticmethod
    def _label(snapshot) -> str:
        return (
            f"Snapshot #{snapshot.pk}, tanggal potong {snapshot.tanggal_potong:%d-%m-%Y}, "
            f"{number_id(snapshot.jumlah_baris)} penduduk, dibekukan {waktu_wib(snapshot.dibuat_pada)}"
        )

    def service_arguments(self) -> dict:
        """`snapshot` / `new_snapshot` for `case_start_for_request`."""
        choice = self.cleaned_data["snapshot"]
        return {"snapshot": self.snapshots.get(choice), "new_snapshot": choice == self.NEW}


class DrafForm(StyledForm):
    perihal = forms.CharField(label=_("Perihal"), max_length=300, initial="Penyampaian Data Kependudukan")
    sifat = forms.ChoiceField(label=_("Sifat"), choices=Naskah.Sifat.choices, initial=Naskah.Sifat.BIASA)
    snapshot_ref = forms.CharField(label=_("Rujukan snapshot"), max_length=100)
    snapshot_tanggal = forms.DateField(label=_("Tanggal potong data"), widget=DateInput())
    snapshot_baris = forms.IntegerField(label=_("Jumlah baris snapshot"), min_value=1)
    snapshot_sha256 = forms.RegexField(
        label=_("Checksum snapshot (SHA-256)"),
        regex=r"^[0-9a-f]{64}$",
        error_messages={"invalid": _("Checksum harus 64 karakter heksadesimal huruf kecil.")},
    )
    laporan_pdf = CheckedFileField(label=_("Laporan (PDF)"), required=False, policy=PDF_UPLOAD)
    laporan_xlsx = CheckedFileField(label=_("Laporan (XLSX)"), required=False, policy=XLSX_UPLOAD)
    tembusan = forms.CharField(
        label=_("Tembusan (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        initial="Sekretaris Daerah Kota Palembang\nArsip",
    )


class SeenForm(StyledForm):
    """A letter action bound to what its page showed: the seq of the letter's latest audit event."""

    terlihat = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class RevisiForm(StyledForm):
    """A correction of the draft after a return: the letter's own fields; the report stays as drafted.
    Bound to the draft version the page showed."""

    versi_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    perihal = forms.CharField(label=_("Perihal"), max_length=300)
    sifat = forms.ChoiceField(label=_("Sifat"), choices=Naskah.Sifat.choices)
    tembusan = forms.CharField(
        label=_("Tembusan (satu per baris)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @classmethod
    def for_letter(cls, naskah: Naskah) -> "RevisiForm":
        return cls(
            initial={
                "perihal": naskah.perihal,
                "sifat": naskah.sifat,
                "tembusan": "\n".join(naskah.tembusan),
                "versi_sha256": naskah.versi_terakhir.sha256,
            }
        )


class KirimSurelForm(SeenForm):
    kepada = forms.EmailField(label=_("Alamat surel instansi"))
    tautan_unduh = forms.BooleanField(label=_("Sertakan tautan unduh"), required=False, initial=True)


class KirimTautanForm(SeenForm):
    berlaku_hari = forms.IntegerField(label=_("Tautan berlaku (hari)"), min_value=1, max_value=90, initial=14)


class TerimaForm(StyledForm):
    nama_penerima = forms.CharField(label=_("Nama penerima di instansi"), max_length=200)
    catatan = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class TerimaPetugasForm(SeenForm, TerimaForm):
    """The officer records a receipt from the letter page."""


class ArsipForm(SeenForm):
    pass


class CabutForm(SeenForm):
    alasan = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ditampilkan di halaman verifikasi publik."),
    )


class PassphraseForm(StyledForm):
    lama = forms.CharField(label=_("Passphrase lama"), strip=False, widget=forms.PasswordInput, required=False)
    baru = forms.CharField(
        label=_("Passphrase baru"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("Minimal 8 karakter dan berbeda dari kata sandi masuk."),
    )
    ulang = forms.CharField(label=_("Ulangi passphrase baru"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, changing: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if changing:
            self.fields["lama"].required = True
        else:
            del self.fields["lama"]
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "new-password"


class BlokForm(StyledForm):
    jumlah = forms.IntegerField(label=_("Jumlah nomor"), min_value=1, max_value=100, initial=10)
    alasan = forms.CharField(label=_("Alasan (mis. jaringan terputus)"), max_length=300)


class ReservedSeenForm(StyledForm):
    """A reconcile action bound to the reserved number's status the page showed."""

    terlihat = forms.CharField(max_length=10, widget=forms.HiddenInput, initial="tersedia")


class PakaiForm(ReservedSeenForm):
    perihal = forms.CharField(label=_("Perihal surat kertas"), max_length=300)
    tujuan = forms.CharField(label=_("Tujuan"), max_length=300)
    tanggal_surat = forms.DateField(label=_("Tanggal surat"), widget=DateInput())


class BatalForm(ReservedSeenForm):
    alasan = forms.CharField(label=_("Alasan pembatalan"), max_length=300)


class UnggahForm(StyledForm):
    berkas = CheckedFileField(label=_("Berkas PDF yang akan diperiksa"), policy=VERIFICATION_UPLOAD)
