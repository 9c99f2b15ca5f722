from django import forms
from django.utils.translation import gettext_lazy as _

from piak.core.models import User
from piak.web.forms import BootstrapFormMixin, DateInput
from piak.web.uploads import DOCX, JPEG, PDF, PNG, XLSX, YAML, CheckedFileField, UploadPolicy

REPORT_UPLOAD = UploadPolicy(kinds=(PDF, XLSX, DOCX), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
WORK_PLAN_ATTACHMENT = UploadPolicy(kinds=(PDF, XLSX, DOCX, PNG, JPEG), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
SOP_DEFINITION_UPLOAD = UploadPolicy(kinds=(YAML,), max_bytes_setting="PIAK_UPLOAD_TEXT_MAX_BYTES")


def work_plan_from(data: dict) -> dict:
    """The work plan (judul, kegiatan, dasar hukum) in the cleaned data of a form with `WorkPlanFields`."""
    return {
        "judul": data["rk_judul"],
        "kegiatan": data["rk_kegiatan"].splitlines(),
        "dasar_hukum": data.get("rk_dasar_hukum", ""),
    }


class WorkPlanFields(BootstrapFormMixin, forms.Form):
    """The work plan (rencana kerja) of SOP 2 and 3: one activity per line, and an optional attachment."""

    rk_judul = forms.CharField(label=_("Judul rencana kerja"), max_length=250)
    rk_kegiatan = forms.CharField(label=_("Kegiatan (satu per baris)"), widget=forms.Textarea(attrs={"rows": 4}))
    rk_dasar_hukum = forms.CharField(label=_("Dasar hukum"), required=False, max_length=500)
    rk_lampiran = CheckedFileField(label=_("Lampiran (opsional)"), required=False, policy=WORK_PLAN_ATTACHMENT)

    def work_plan(self) -> dict:
        return work_plan_from(self.cleaned_data)

    def attachment(self):
        return self.cleaned_data.get("rk_lampiran")


class StartWorkPlanForm(WorkPlanFields):
    judul = forms.CharField(label=_("Judul berkas"), max_length=250)
    field_order = ["judul", "rk_judul", "rk_kegiatan", "rk_dasar_hukum", "rk_lampiran"]


class UploadForm(BootstrapFormMixin, forms.Form):
    berkas = CheckedFileField(label=_("Versi baru dokumen"), policy=REPORT_UPLOAD)


class SuppliedDocumentForm(forms.Form):
    """The SOP's app supplies the document (SOP 1: corrections are made on the letter's page); this only
    takes its newest version."""


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


class StepBinding(forms.Form):
    """What every action form was shown for: the open step run (one attempt of one step) and the document
    version on the page. The services refuse the action when either has moved on, so a stale tab, the Back
    button or a double submit changes nothing."""

    langkah_id = forms.IntegerField(widget=forms.HiddenInput)
    dokumen_sha256 = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_page(cls, run, document) -> "StepBinding":
        return cls(initial={"langkah_id": run.pk if run else "", "dokumen_sha256": document.sha256 if document else ""})


class ApproveForm(BootstrapFormMixin, forms.Form):
    """Paraf or signature of the document version named by the form's `StepBinding`."""

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
    """A disposisi names one of `candidates` (the subordinates who can perform the next step)."""

    kepada = forms.ModelChoiceField(label=_("Kepada"), queryset=User.objects.none())
    instruksi = forms.CharField(label=_("Isi disposisi"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates: list[User] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kepada"].queryset = User.objects.filter(pk__in=[u.pk for u in candidates]).order_by(
            "nama_cetak", "username"
        )
        self.fields["kepada"].label_from_instance = lambda u: " — ".join(filter(None, [u.display_name, u.jabatan]))


class CancelForm(BootstrapFormMixin, forms.Form):
    alasan = forms.CharField(label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 2}))


class NewVersionForm(BootstrapFormMixin, forms.Form):
    yaml_text = forms.CharField(
        label=_("Definisi (YAML)"), required=False, widget=forms.Textarea(attrs={"rows": 28, "class": "font-monospace"})
    )
    berkas = CheckedFileField(label=_("atau unggah berkas YAML"), required=False, policy=SOP_DEFINITION_UPLOAD)
    catatan = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("berkas")
        if upload:  # the field has checked it is UTF-8 text
            data["yaml_text"] = upload.read().decode("utf-8-sig")
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
