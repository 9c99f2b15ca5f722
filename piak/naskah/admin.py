"""Admin screens of the letters app. Changes go through the services so each leaves an audit event."""

from django.contrib import admin, messages

from piak.core.errors import DomainError

from . import services
from .models import SigningPassphrase


@admin.register(SigningPassphrase)
class SigningPassphraseAdmin(admin.ModelAdmin):
    """Signers' passphrases: only their state is shown; the Admin can unlock one, never read or set it."""

    list_display = ("pejabat", "gagal", "terkunci_pada", "diatur_pada")
    list_filter = ("terkunci_pada",)
    search_fields = ("user__username", "user__nama_cetak")
    fields = ("user", "gagal", "terkunci_pada", "diatur_pada")
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(description="pejabat", ordering="user__nama_cetak")
    def pejabat(self, obj: SigningPassphrase) -> str:
        return f"{obj.user.display_name} ({obj.user.username})"

    @admin.action(description="Buka kunci passphrase terpilih")
    def unlock(self, request, queryset) -> None:
        for record in queryset.select_related("user"):
            try:
                services.passphrase_unlock(record=record, by=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                self.message_user(request, f"Kunci passphrase {record.user.display_name} dibuka.")

    def has_add_permission(self, request) -> bool:
        return False  # each signer sets their own passphrase

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
