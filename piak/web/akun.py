"""The signed-in user's own account: changing the password, and the optional second factor (TOTP)."""

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from piak.core import services, totp
from piak.core.errors import DomainError
from piak.core.selectors import may_use_second_factor

from .forms import CodeForm, OwnPasswordChangeForm

# The secret shown at enrolment lives in the session until a code confirms the app has it.
ENROLMENT_SECRET = "piak_totp_calon_rahasia"


@login_required
def password_change(request):
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_password_change(user=request.user, password=form.cleaned_data["new_password1"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            update_session_auth_hash(request, user)  # stay signed in here; other sessions end
            messages.success(request, "Kata sandi Anda sudah diganti.")
            return redirect("home")
    context = {
        "form": form,
        "second_factor": request.user.totp_aktif or may_use_second_factor(user=request.user, on=timezone.localdate()),
    }
    return render(request, "web/akun/sandi.html", context)


def _enrolment_secret(request) -> str:
    if ENROLMENT_SECRET not in request.session:
        request.session[ENROLMENT_SECRET] = totp.secret_new()
    return request.session[ENROLMENT_SECRET]


@login_required
def second_factor(request):
    user = request.user
    if not user.totp_aktif and not may_use_second_factor(user=user, on=timezone.localdate()):
        raise PermissionDenied("totp_role")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["kode"]
        try:
            if user.totp_aktif:
                services.totp_disable(user=user, code=code)
                done = "Verifikasi dua langkah dinonaktifkan."
            else:
                services.totp_enable(user=user, secret=_enrolment_secret(request), code=code)
                request.session.pop(ENROLMENT_SECRET)
                done = "Verifikasi dua langkah aktif. Mulai sekarang masuk meminta kode dari aplikasi Anda."
        except DomainError as error:
            form.add_error("kode", error.message)
        else:
            messages.success(request, done)
            return redirect("akun:second_factor")
    context = {"form": form, "aktif": user.totp_aktif}
    if not user.totp_aktif:
        secret = _enrolment_secret(request)
        uri = totp.provisioning_uri(secret, user.username)
        context |= {"secret": secret, "qr": mark_safe(segno.make(uri, error="m").svg_inline(scale=4))}
    return render(request, "web/akun/dua_langkah.html", context)
