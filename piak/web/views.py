from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .dashboard import dashboard_for
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    return render(request, "web/home.html", {"dashboard": dashboard_for(request.user)})
