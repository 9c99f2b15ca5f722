from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piak.core.models import User
from piak.core.selectors import role_holders_on
from piak.web.forms import BootstrapFormMixin, DateInput
from piak.web.uploads import DOCX, JPEG, PDF, PNG, XLSX, YAML, CheckedFileField, UploadPolicy

from .handlers import activity_kinds
from .rencana import plan_activities

REPORT_UPLOAD = UploadPolicy(kinds=(PDF, XLSX, DOCX), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
WORK_PLAN_ATTACHMENT = UploadPolicy(kinds=(PDF, XLSX, DOCX, PNG, JPEG), max_bytes_setting="PIAK_UPLOAD_MAX_BYTES")
SOP_DEFINITION_UPLOAD = UploadPolicy(kinds=(YAML,), max_bytes_setting="PIAK_UPLOAD_TEXT_MAX_BYTES")


ACTIVITY_FIELDS = ("uraian", "jenis", "sasaran", "target", "pelaksana")
EMPTY_ROWS = 4  # rows offered beyond the plan's activities, so the form works without JavaScript


def work_plan_from(data: dict) -> dict:
    """The work plan (judul, kegiatan, dasar hukum) in the cleaned data of a form with `WorkPlanFields`."""
    rows = sorted({int(key.split("_")[1]) for key in data if key.startswith("kg_")})
    return {
        "judul": data["rk_judul"],
        "kegiatan": [{f: data.get(f"kg_{n}_{f}") or "" for f in ACTIVITY_FIELDS} for n in rows],
        "dasar_hukum": data.get("rk_dasar_hukum", ""),
    }


def activity_initial(isi: dict, kode: str) -> dict:
    """A plan's activities as the initial values of the activity rows (when a new version is drafted)."""
    initial = {}
    for n, a in enumerate(plan_activities(kode, isi), start=1):
        values = {
            "uraian": a.uraian,
            "jenis": a.jenis,
            "sasaran": a.sasaran,
            "target": a.target,
            "pelaksana": a.pelaksana,
        }
        initial |= {f"kg_{n}_{f}": v for f, v in values.items()}
    return initial


def _assignee_choices(definition) -> list[tuple[str, str]]:
    """Who may be named to carry out an activity: today's holders of the SOP's performer roles."""
    today = timezone.localdate()
    holders = {
        h.user for role in {s.pelaksana for s in definition.langkah} for h in role_holders_on(role=role, on=today)
    }
    people = sorted((u for u in holders if u.is_active), key=lambda u: u.display_name)
    return [("", "— belum ditentukan —")] + [(u.username, u.display_name) for u in people]


class WorkPlanFields(BootstrapFormMixin, forms.Form):
    """The work plan (rencana kerja) of SOP 2 and 3: its activities as rows (what, of which kind, aimed at
    what, how many, by whom), a legal basis and an optional attachment."""

    rk_judul = forms.CharField(label=_("Judul rencana kerja"), max_length=250)
    rk_dasar_hukum = forms.CharField(label=_("Dasar hukum"), required=False, max_length=500)
    rk_lampiran = CheckedFileField(label=_("Lampiran (opsional)"), required=False, policy=WORK_PLAN_ATTACHMENT)

    def __init__(self, *args, versi, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = activity_kinds(versi.kode)
        assignees = _assignee_choices(versi.definition)
        filled = {int(k.split("_")[1]) for k in {**self.initial, **(self.data or {})} if k.startswith("kg_")}
        for n in range(1, max(filled, default=0) + EMPTY_ROWS + 1):
            self._activity_row(n, kinds, assignees)
        self.bootstrap_widgets()

    def _activity_row(self, n: int, kinds: dict, assignees: list) -> None:
        # Each row's labels carry its number: the table shows them as column heads, a screen reader per cell.
        self.fields[f"kg_{n}_uraian"] = forms.CharField(label=f"Uraian kegiatan {n}", required=False, max_length=300)
        if kinds:
            choices = [("", "— pilih jenis —")] + [(k.kode, k.label) for k in kinds.values()]
            self.fields[f"kg_{n}_jenis"] = forms.ChoiceField(
                label=f"Jenis kegiatan {n}", choices=choices, required=False
            )
        self.fields[f"kg_{n}_sasaran"] = forms.CharField(label=f"Sasaran kegiatan {n}", required=False, max_length=200)
        self.fields[f"kg_{n}_target"] = forms.IntegerField(label=f"Target kegiatan {n}", required=False, min_value=1)
        self.fields[f"kg_{n}_pelaksana"] = forms.ChoiceField(
            label=f"Pelaksana kegiatan {n}", choices=assignees, required=False
        )

    def activity_rows(self) -> list[list]:
        """The activity fields, one list per row, for the table the template draws."""
        rows = sorted({int(name.split("_")[1]) for name in self.fields if name.startswith("kg_")})
        return [[self[f"kg_{n}_{f}"] for f in ACTIVITY_FIELDS if f"kg_{n}_{f}" in self.fields] for n in rows]

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in data if name.endswith("_uraian")):
            raise forms.ValidationError(_("Isi sedikitnya satu kegiatan rencana kerja."))
        return data

    def work_plan(self) -> dict:
        return work_plan_from(self.cleaned_data)

    def attachment(self):
        return self.cleaned_data.get("rk_lampiran")


class StartWorkPlanForm(WorkPlanFields):
    judul = forms.CharField(label=_("Judul berkas"), max_length=250)
    field_order = ["judul", "rk_judul", "rk_dasar_hukum", "rk_lampiran"]


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
