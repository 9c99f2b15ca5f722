"""Admin screens. Changes go through the services so each one leaves an audit event."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from piak.web.admin_readonly import ReadOnlyAdmin

from . import services
from .errors import DomainError
from .models import AuditEvent, DayOff, OfficeHours, Role, RoleHolding, User
from .services import role_holding_validate


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Kepegawaian", {"fields": ("nip", "nama_cetak", "jabatan")}),
    )
    list_display = ("username", "nama_cetak", "nip", "jabatan", "is_active")
    search_fields = ("username", "nama_cetak", "nip", "first_name", "last_name")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "nama", "urutan")

    def has_add_permission(self, request) -> bool:
        return False  # roles are the fixed jabatan of the SOPs

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RoleHoldingForm(forms.ModelForm):
    class Meta:
        model = RoleHolding
        fields = ["user", "role", "capacity", "mulai", "selesai", "nomor_sk", "keterangan"]
        help_texts = {
            "capacity": "Plt (pelaksana tugas) atau Plh (pelaksana harian) menggantikan pejabat definitif yang "
            "berhalangan, untuk rentang tanggal tertentu.",
            "selesai": "Wajib untuk Plt/Plh; kosongkan untuk jabatan definitif yang masih berlaku.",
            "keterangan": "Mis. Kepala Bidang cuti tahunan.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].label_from_instance = lambda user: f"{user.display_name} ({user.username})"

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None and not data.get("selesai"):
            raise forms.ValidationError("Isi tanggal selesai untuk mengakhiri jabatan ini.", code="role_end_needs_date")
        if self.instance.pk is None and not self.errors:
            try:
                role_holding_validate(
                    user=data["user"],
                    role=data["role"],
                    capacity=data["capacity"],
                    mulai=data["mulai"],
                    selesai=data.get("selesai"),
                )
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return data


@admin.register(RoleHolding)
class RoleHoldingAdmin(admin.ModelAdmin):
    form = RoleHoldingForm
    list_display = ("pejabat", "role", "capacity", "mulai", "selesai", "nomor_sk")
    list_filter = ("role", "capacity")
    search_fields = ("user__username", "user__nama_cetak", "nomor_sk")

    @admin.display(description="pejabat", ordering="user__nama_cetak")
    def pejabat(self, obj: RoleHolding) -> str:
        return f"{obj.user.display_name} ({obj.user.username})"

    def get_readonly_fields(self, request, obj=None):
        # An existing holding can only be ended; anything else is a new holding.
        return ("user", "role", "capacity", "mulai", "nomor_sk", "keterangan") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            services.role_end(holding=obj, selesai=obj.selesai, by=request.user)
            return
        saved = services.role_assign(
            user=obj.user,
            role=obj.role,
            capacity=obj.capacity,
            mulai=obj.mulai,
            selesai=obj.selesai,
            nomor_sk=obj.nomor_sk,
            keterangan=obj.keterangan,
            by=request.user,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # history of who held which role is kept; end a holding instead


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "nama", "jenis")
    list_filter = ("jenis",)
    date_hierarchy = "tanggal"

    def save_model(self, request, obj, form, change):
        saved = services.day_off_set(tanggal=obj.tanggal, nama=obj.nama, jenis=obj.jenis, by=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.day_off_remove(tanggal=obj.tanggal, by=request.user)

    def delete_queryset(self, request, queryset):
        for day_off in queryset:
            self.delete_model(request, day_off)


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ("weekday", "is_working", "opens", "closes")

    def save_model(self, request, obj, form, change):
        services.office_hours_set(
            weekday=obj.weekday,
            is_working=obj.is_working,
            opens=obj.opens,
            closes=obj.closes,
            by=request.user,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "action", "actor", "role", "acting_as", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("object_id", "actor__username")
