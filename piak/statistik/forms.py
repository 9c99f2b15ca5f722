from django import forms
from django.conf import settings
from django.utils import timezone


class SnapshotForm(forms.Form):
    tanggal_potong = forms.DateField(
        label="Tanggal potong", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    sumber = forms.ChoiceField(label="Sumber data", choices=[("register", "Register penduduk")])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if settings.DEBUG:  # demo machines only: never offered in production
            self.fields["sumber"].choices = [
                *self.fields["sumber"].choices,
                ("sintetis", "Data sintetis (demo)"),
            ]
