from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from piak.core.lockout import address_throttled, client_ip, is_locked

# Refusals of the login form that mean "too many tries": the view answers them with HTTP 429.
THROTTLE_CODES = ("throttled", "locked")


class LoginForm(AuthenticationForm):
    """The standard login form, refusing an address that failed too often and a username locked for it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali lalu coba lagi."),
        "throttled": _(
            "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi setelah %(minutes)s menit "
            "atau hubungi admin."
        ),
        "locked": _(
            "Akun ini dikunci sementara di perangkat ini karena terlalu banyak percobaan masuk yang gagal. "
            "Coba lagi setelah %(minutes)s menit atau hubungi admin."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        ip_address = client_ip(self.request)
        if address_throttled(ip_address):
            self._refuse("throttled")
        if username and is_locked(username, ip_address):
            self._refuse("locked")
        return super().clean()

    def _refuse(self, code: str):
        raise forms.ValidationError(
            self.error_messages[code], code=code, params={"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )

    @property
    def throttled(self) -> bool:
        return any(self.has_error(NON_FIELD_ERRORS, code) for code in THROTTLE_CODES)


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates can render fields without per-field markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bootstrap_widgets()

    def bootstrap_widgets(self) -> None:
        """Style every field's widget once; a form that adds fields after __init__ calls it again."""
        for field in self.fields.values():
            widget = field.widget
            if getattr(widget, "input_type", None) == "checkbox":
                continue
            css = "form-select" if widget.__class__.__name__ in {"Select", "SelectMultiple"} else "form-control"
            if css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class OwnPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    """Django's form (old password, the new one twice, the password validators); saved by the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi saat ini")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class CodeForm(BootstrapFormMixin, forms.Form):
    """The 6-digit code of the authenticator app."""

    kode = forms.CharField(
        label=_("Kode verifikasi (6 angka)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
    )
