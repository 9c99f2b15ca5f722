"""The admin's user forms: a password the Admin sets is an initial one, to be changed at the next login."""

from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm


class InitialPasswordMixin:
    def set_password_and_save(self, user, commit=True, **kwargs):
        user.harus_ganti_sandi = True
        return super().set_password_and_save(user, commit=commit, **kwargs)


class UserCreateForm(InitialPasswordMixin, AdminUserCreationForm):
    pass


class UserPasswordSetForm(InitialPasswordMixin, AdminPasswordChangeForm):
    pass
