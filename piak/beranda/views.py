import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from piak.core import services
from piak.core.errors import DomainError
from piak.core.lockout import address_throttled, client_ip, failure_record, is_locked
from piak.core.models import User
from piak.web.forms import CodeForm, LoginForm

from .dashboard import dashboard_for
from .health import health_report, may_see_figures, report_json

# Between the password and the code: who is signing in, with which backend, and where they go afterwards.
PENDING_LOGIN = "piak_masuk_menunggu_kode"
PENDING_LOGIN_SECONDS = 5 * 60


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def form_valid(self, form):
        user = form.get_user()
        if not user.totp_aktif:
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
        }
        return redirect("login_code")


def _pending_user(request) -> tuple[User, dict] | None:
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["since"] > PENDING_LOGIN_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True, totp_aktif=True).first()
    return (user, pending) if user else None


def login_code(request):
    """The second step of a login with a second factor: the code of the authenticator app."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, "Sesi masuk sudah habis. Masukkan lagi nama pengguna dan kata sandi.")
        return redirect("login")
    user, pending = found
    ip_address = client_ip(request)
    if address_throttled(ip_address) or is_locked(user.username, ip_address):
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti atau hubungi admin.")
        return render(request, "registration/login_code.html", {"form": None}, status=429)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_login_verify(user=user, code=form.cleaned_data["kode"])
        except DomainError as error:
            failure_record(user.username, ip_address)
            form.add_error("kode", error.message)
        else:
            request.session.pop(PENDING_LOGIN)
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
    return render(request, "registration/login_code.html", {"form": form})


@login_required
def home(request):
    return render(request, "beranda/home.html", {"dashboard": dashboard_for(request.user)})


@require_safe
@never_cache
def sehat(request):
    """Health for monitoring: 200 when no check failed, else 503; figures only for whoever may see them."""
    report = health_report()
    return JsonResponse(report_json(report, figures=may_see_figures(request)), status=report.http_status)
