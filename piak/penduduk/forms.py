from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piak.web.forms import DateInput
from piak.web.uploads import CSV, XLSX, CheckedFileField, UploadPolicy
from piak.wilayah.models import Kelurahan

from .koreksi import KODE, KOREKSI_DOKUMEN, TANGGAL, KolomKoreksi
from .models import Impor, KodeReferensi, TingkatPindah

JENIS_KELAMIN = [(1, "Laki-laki"), (2, "Perempuan")]


def _codes(tabel: str) -> list[tuple[int, str]]:
    return list(KodeReferensi.objects.filter(tabel=tabel).values_list("kode", "label"))


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CariForm(BootstrapForm):
    """The register search. Sent by POST so a NIK typed into it never lands in a URL or a server log."""

    q = forms.CharField(label=_("Cari"), max_length=100)
    tujuan = forms.CharField(label=_("Keperluan (dicatat di log akses)"), max_length=200, required=False)


class TanggalLaporMixin(forms.Form):
    tanggal_lapor = forms.DateField(label=_("Tanggal lapor"), widget=DateInput(), initial=timezone.localdate)


class KelahiranForm(BootstrapForm, TanggalLaporMixin):
    nik = forms.CharField(label=_("NIK bayi"), max_length=24)
    nama = forms.CharField(label=_("Nama lengkap"), max_length=200)
    jenis_kelamin = forms.TypedChoiceField(label=_("Jenis kelamin"), choices=JENIS_KELAMIN, coerce=int)
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=100, initial="PALEMBANG")
    tanggal_lahir = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    ibu = forms.ModelChoiceField(label=_("Ibu"), queryset=None, required=False)
    ayah = forms.ModelChoiceField(label=_("Ayah"), queryset=None, required=False)

    field_order = [
        "nik",
        "nama",
        "jenis_kelamin",
        "tempat_lahir",
        "tanggal_lahir",
        "ibu",
        "ayah",
        "tanggal_lapor",
    ]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ibu"].queryset = members.filter(jenis_kelamin=2)
        self.fields["ayah"].queryset = members.filter(jenis_kelamin=1)


class KematianForm(BootstrapForm, TanggalLaporMixin):
    tanggal = forms.DateField(label=_("Tanggal kematian"), widget=DateInput())
    keterangan = forms.CharField(label=_("Keterangan (sebab, tempat)"), max_length=255, required=False)
    field_order = ["tanggal", "tanggal_lapor", "keterangan"]


class PindahKeluarForm(BootstrapForm, TanggalLaporMixin):
    tanggal = forms.DateField(label=_("Tanggal pindah"), widget=DateInput())
    tingkat = forms.TypedChoiceField(label=_("Tujuan pindah"), choices=TingkatPindah.choices, coerce=int)
    alamat_tujuan = forms.CharField(label=_("Alamat tujuan"), max_length=255)
    field_order = ["tanggal", "tanggal_lapor", "tingkat", "alamat_tujuan"]


class PindahMasukForm(BootstrapForm, TanggalLaporMixin):
    nik = forms.CharField(label=_("NIK"), max_length=24)
    nama = forms.CharField(label=_("Nama lengkap"), max_length=200)
    jenis_kelamin = forms.TypedChoiceField(label=_("Jenis kelamin"), choices=JENIS_KELAMIN, coerce=int)
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=100)
    tanggal_lahir = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    agama = forms.TypedChoiceField(label=_("Agama"), choices=[], coerce=int)
    status_kawin = forms.TypedChoiceField(label=_("Status perkawinan"), choices=[], coerce=int)
    shdk = forms.TypedChoiceField(label=_("Hubungan dalam keluarga"), choices=[], coerce=int)
    tanggal = forms.DateField(label=_("Tanggal pindah masuk"), widget=DateInput())
    alamat_asal = forms.CharField(label=_("Alamat asal"), max_length=255)
    no_kk_tujuan = forms.CharField(label=_("No. KK tujuan (keluarga yang sudah ada)"), max_length=24, required=False)
    no_kk_baru = forms.CharField(label=_("No. KK baru"), max_length=24, required=False)
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), queryset=Kelurahan.objects.all(), required=False)
    rw = forms.IntegerField(label=_("RW"), min_value=1, max_value=999, required=False)
    rt = forms.IntegerField(label=_("RT"), min_value=1, max_value=999, required=False)
    alamat = forms.CharField(label=_("Alamat"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agama"].choices = _codes("agama")
        self.fields["status_kawin"].choices = _codes("status_kawin")
        self.fields["shdk"].choices = _codes("shdk")

    def clean(self):
        data = super().clean()
        if bool(data.get("no_kk_tujuan")) == bool(data.get("no_kk_baru")):
            raise forms.ValidationError(_("Isi No. KK tujuan (keluarga lama) atau No. KK baru, salah satu."))
        if data.get("no_kk_baru") and not all(data.get(f) for f in ("kelurahan", "rw", "rt", "alamat")):
            raise forms.ValidationError(_("KK baru memerlukan kelurahan, RW, RT dan alamat."))
        return data


SIAK_EXPORT_UPLOAD = UploadPolicy(
    kinds=(CSV, XLSX), max_bytes_setting="PIAK_IMPOR_MAX_BYTES", max_unpacked_setting="PIAK_IMPOR_MAX_UNPACKED_BYTES"
)


class ImporForm(BootstrapForm):
    berkas = CheckedFileField(label=_("Berkas ekspor SIAK (CSV atau XLSX)"), policy=SIAK_EXPORT_UPLOAD)
    pengodean = forms.TypedChoiceField(
        label=_("Pengodean berkas CSV"),
        choices=Impor.Pengodean.choices,
        initial=Impor.Pengodean.UTF8,
        required=False,
        empty_value=Impor.Pengodean.UTF8,
        help_text=_(
            "Berkas yang sah sebagai UTF-8 selalu dibaca sebagai UTF-8. Bila tidak, pilihan ini menentukan: "
            "UTF-8 menolak berkas dengan menyebut baris dan kolom byte yang salah; Windows-1252 membacanya "
            "sebagai ekspor Excel lama."
        ),
    )
    lewati_tidak_valid = forms.BooleanField(label=_("Simpan baris yang sah dan laporkan sisanya"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lewati_tidak_valid"].widget.attrs["class"] = "form-check-input"


class BuktiKoreksiForm(BootstrapForm):
    """What every correction carries: why, and the document that shows it."""

    alasan = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sebutkan dasar koreksi, misalnya nomor akta atau surat keterangan."),
    )
    dokumen = CheckedFileField(label=_("Dokumen pendukung"), policy=KOREKSI_DOKUMEN)


def _value_field(kolom: KolomKoreksi) -> forms.Field:
    label = _("%(kolom)s baru") % {"kolom": kolom.label}
    if kolom.jenis == TANGGAL:
        return forms.DateField(label=label, widget=DateInput(), required=kolom.wajib)
    if kolom.jenis == KODE:
        choices = _codes(kolom.tabel)
        if not kolom.wajib:
            choices = [("", _("— tidak diketahui —")), *choices]
        return forms.TypedChoiceField(label=label, choices=choices, coerce=int, empty_value=None, required=kolom.wajib)
    return forms.CharField(label=label, max_length=200, required=kolom.wajib)


class KoreksiForm(BuktiKoreksiForm):
    """A correction of one field: its new value (a widget of the field's kind), the reason, the document."""

    def __init__(self, *args, kolom: KolomKoreksi, **kwargs):
        self.base_fields = {"nilai_baru": _value_field(kolom), **type(self).base_fields}
        super().__init__(*args, **kwargs)


class TandaiGandaForm(BuktiKoreksiForm):
    """Of a group of records taken for one person: the one retired and the one kept."""

    ganda = forms.ModelChoiceField(label=_("Data yang dinonaktifkan"), queryset=None, widget=forms.RadioSelect)
    pengganti = forms.ModelChoiceField(label=_("Data yang dipertahankan"), queryset=None, widget=forms.RadioSelect)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("ganda", "pengganti"):
            self.fields[name].queryset = group
