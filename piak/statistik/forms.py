from django import forms
from django.conf import settings
from django.utils import timezone

from .models import Snapshot


class SnapshotForm(forms.Form):
    tanggal_potong = forms.DateField(
        label="Tanggal potong", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    sumber = forms.ChoiceField(
        label="Sumber data",
        choices=[("register", "Register penduduk")],
        error_messages={
            "invalid_choice": "Sumber %(value)s tidak tersedia di sini: data sintetis hanya ada pada instans "
            "demo. Pilih register penduduk."
        },
    )
    SYNTHETIC = "sintetis"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if settings.PIAK_DEMO:  # a demo instance only; elsewhere a posted "sintetis" is an invalid choice
            self.fields["sumber"].choices = [
                *self.fields["sumber"].choices,
                (self.SYNTHETIC, "Data sintetis (demo)"),
            ]


def _snapshot_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Snapshot.objects.order_by("-tanggal_potong", "-id"),
        empty_label="— pilih snapshot —",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": f"Pilih {label}.",
            "invalid_choice": f"{label} tidak ada; pilih salah satu snapshot dari daftar.",
        },
    )


class ComparisonForm(forms.Form):
    a = _snapshot_field("Snapshot A (awal)")
    b = _snapshot_field("Snapshot B (akhir)")
