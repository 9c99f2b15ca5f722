from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piak.core.models import User
from piak.core.selectors import users_with_a_role_on
from piak.web.forms import BootstrapFormMixin, DateInput

MAX_UPLOAD_MB = 20


def _upload_checked(upload):
    if upload and upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(_("Berkas terlalu besar (maksimum %(mb)s MB).") % {"mb": MAX_UPLOAD_MB})
    return upload


class WorkPlanFields(BootstrapFormMixin, forms.Form):
    """The work plan (rencana kerja) of SOP 2 and 3: one activity per line."""

    rk_judul = forms.CharField(label=_("Judul rencana kerja"), max_length=250)
    rk_kegiatan = forms.CharField(label=_("Kegiatan (satu per baris)"), widget=forms.Textarea(attrs={"rows": 4}))
    rk_dasar_hukum = forms.CharField(label=_("Dasar hukum"), required=False, max_length=500)
    rk_lampiran = forms.FileField(label=_("Lampiran (opsional)"), required=False)

    def clean_rk_lampiran(self):
        return _upload_checked(self.cleaned_data.get("rk_lampiran"))

    def work_plan(self) -> dict:
        data = self.cleaned_data
        return {
            "judul": data["rk_judul"],
            "kegiatan": data["rk_kegiatan"].splitlines(),
            "dasar_hukum": data.get("rk_dasar_hukum", ""),
        }


class StartReportForm(BootstrapFormMixin, forms.Form):
    judul = forms.CharField(label=_("Judul berkas"), max_length=250)
    berkas = forms.FileField(label=_("Laporan dan Surat Pengantar (PDF/XLSX/DOCX)"))

    def clean_berkas(self):
        return _upload_checked(self.cleaned_data.get("berkas"))


class StartWorkPlanForm(WorkPlanFields):
    judul = forms.CharField(label=_("Judul berkas"), max_length=250)
    field_order = ["judul", "rk_judul", "rk_kegiatan", "rk_dasar_hukum", "rk_lampiran"]


class UploadForm(BootstrapFormMixin, forms.Form):
    berkas = forms.FileField(label=_("Versi baru dokumen"))

    def clean_berkas(self):
        return _upload_checked(self.cleaned_data.get("berkas"))


class NaskahRevisionForm(forms.Form):
    """SOP 1 with a letter: corrections are made on the letter's page; this only takes its newest draft."""


class CompleteForm(BootstrapFormMixin, forms.Form):
    catatan = forms.CharField(label=_("Catatan / output"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, checklist: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelengkapan"] = forms.MultipleChoiceField(
            label=_("Kelengkapan"),
            choices=[(c, c) for c in checklist],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            required=False,
        )
        self.order_fields(["kelengkapan", "catatan"])


class ApproveForm(BootstrapFormMixin, forms.Form):
    """Paraf or signature: the hidden hash is the document version the official looked at."""

    document_hash = forms.CharField(widget=forms.HiddenInput)
    catatan = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(ApproveForm):
    """The signature asks for the signer's passphrase (set on its own page, separate from the login password)."""

    passphrase = forms.CharField(
        label=_("Passphrase penandatanganan"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class ReturnForm(BootstrapFormMixin, forms.Form):
    ke_langkah = forms.TypedChoiceField(label=_("Kembalikan ke langkah"), coerce=int)
    alasan = forms.CharField(label=_("Alasan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, targets: tuple[int, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ke_langkah"].choices = [(t, _("Langkah %(n)s") % {"n": t}) for t in targets]


class DisposisiForm(BootstrapFormMixin, forms.Form):
    kepada = forms.ModelChoiceField(label=_("Kepada"), queryset=User.objects.none())
    instruksi = forms.CharField(label=_("Isi disposisi"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = users_with_a_role_on(on=timezone.localdate()).order_by("nama_cetak", "username")
        self.fields["kepada"].queryset = users
        self.fields["kepada"].label_from_instance = lambda u: " — ".join(filter(None, [u.display_name, u.jabatan]))


class CancelForm(BootstrapFormMixin, forms.Form):
    alasan = forms.CharField(label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 2}))


class NewVersionForm(BootstrapFormMixin, forms.Form):
    yaml_text = forms.CharField(
        label=_("Definisi (YAML)"), required=False, widget=forms.Textarea(attrs={"rows": 28, "class": "font-monospace"})
    )
    berkas = forms.FileField(label=_("atau unggah berkas YAML"), required=False)
    catatan = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("berkas")
        if upload:
            try:
                data["yaml_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("Berkas YAML harus berpengodean UTF-8.")) from error
        if not (data.get("yaml_text") or "").strip():
            raise forms.ValidationError(_("Isi definisi atau unggah berkas YAML."))
        return data


MAX_PERIOD_DAYS = 366


class CompliancePeriodForm(BootstrapFormMixin, forms.Form):
    """The period of the compliance report: cases that began between the two dates (WIB)."""

    awal = forms.DateField(label=_("Dari tanggal"), widget=DateInput())
    akhir = forms.DateField(label=_("Sampai tanggal"), widget=DateInput())

    def clean(self):
        data = super().clean()
        awal, akhir = data.get("awal"), data.get("akhir")
        if awal and akhir:
            if awal > akhir:
                raise forms.ValidationError(_("Tanggal awal tidak boleh sesudah tanggal akhir."))
            if (akhir - awal).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Periode paling panjang satu tahun (366 hari)."))
        return data
