from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from piak.core.lockout import is_locked


class LoginForm(AuthenticationForm):
    """The standard login form, with a clear message while the account is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali lalu coba lagi."),
        "locked": _(
            "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
            "Coba lagi setelah %(minutes)s menit atau hubungi admin."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        return super().clean()


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapFormMixin:
    """Give every widget Bootstrap's class, so templates can render fields without per-field markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if getattr(widget, "input_type", None) == "checkbox":
                continue
            css = "form-select" if widget.__class__.__name__ in {"Select", "SelectMultiple"} else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
