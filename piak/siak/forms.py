"""Forms of SOP 2's work on the case page."""

from piak.penduduk.forms import ImporForm


class UjiImporForm(ImporForm):
    """A received SIAK export for a dry run: the import form's file and encoding, never applied."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["lewati_tidak_valid"]

    def encoding(self) -> str:
        return self.cleaned_data.get("pengodean") or "utf-8"
