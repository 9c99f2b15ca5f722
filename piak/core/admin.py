"""Admin screens. Changes go through the services so each one leaves an audit event."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q

from piak.core.admin_readonly import ReadOnlyAdmin
from piak.core.masking import IDENTITY_NUMBER, personal_text_mask

from . import roles, services
from .errors import DomainError
from .forms import UserCreateForm, UserPasswordSetForm
from .models import IN_FORCE, AuditEvent, Capacity, DayOff, HoldingStatus, OfficeHours, Role, RoleHolding, User
from .permissions import user_may
from .services import role_holding_validate


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreateForm
    change_password_form = UserPasswordSetForm
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
    recorder: User | None = None  # the signed-in Admin, set by RoleHoldingAdmin.get_form

    class Meta:
        model = RoleHolding
        fields = ["user", "role", "capacity", "mulai", "selesai", "nomor_sk", "tanggal_sk", "keterangan"]
        help_texts = {
            "capacity": "Plt (pelaksana tugas) atau Plh (pelaksana harian) menggantikan pejabat definitif yang "
            "berhalangan, untuk rentang tanggal tertentu. Penunjukan Plt/Plh berlaku setelah dikonfirmasi Kepala "
            "Dinas (untuk pengganti Kepala Dinas: Sekretaris Dinas).",
            "selesai": "Wajib untuk Plt/Plh; kosongkan untuk jabatan definitif yang masih berlaku.",
            "nomor_sk": "Wajib untuk Plt/Plh.",
            "tanggal_sk": "Wajib untuk Plt/Plh.",
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
                    nomor_sk=data.get("nomor_sk", ""),
                    tanggal_sk=data.get("tanggal_sk"),
                    by=self.recorder,
                )
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return data


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return HoldingStatus.choices

    def queryset(self, request, queryset):
        undecided = Q(dikonfirmasi_pada__isnull=True, ditolak_pada__isnull=True)
        acting = ~Q(capacity=Capacity.DEFINITIF)
        return {
            HoldingStatus.MENUNGGU: queryset.filter(acting & undecided),
            HoldingStatus.BERLAKU: queryset.filter(IN_FORCE),
            HoldingStatus.DITOLAK: queryset.filter(ditolak_pada__isnull=False),
        }.get(self.value(), queryset)


@admin.register(RoleHolding)
class RoleHoldingAdmin(admin.ModelAdmin):
    form = RoleHoldingForm
    list_display = ("pejabat", "jabatan", "mulai", "selesai", "nomor_sk", "status_penunjukan")
    list_filter = (StatusFilter, "role", "capacity")
    list_select_related = ("user", "role", "dikonfirmasi_oleh", "ditolak_oleh")
    search_fields = ("user__username", "user__nama_cetak", "nomor_sk")
    DECISION_FIELDS = ("diangkat_oleh", "dikonfirmasi_oleh", "dikonfirmasi_pada", "ditolak_oleh", "ditolak_pada")

    @admin.display(description="pejabat", ordering="user__nama_cetak")
    def pejabat(self, obj: RoleHolding) -> str:
        return f"{obj.user.display_name} ({obj.user.username})"

    @admin.display(description="jabatan", ordering="role__urutan")
    def jabatan(self, obj: RoleHolding) -> str:
        # The short name keeps the status column in view on a laptop; the filter lists the full names.
        return f"{obj.capacity_prefix}{roles.SHORT_NAMES.get(obj.role_id, obj.role.nama)}"

    @admin.display(description="status")
    def status_penunjukan(self, obj: RoleHolding) -> str:
        if obj.status == HoldingStatus.BERLAKU and obj.is_acting:
            return f"{obj.status.label} (dikonfirmasi {obj.dikonfirmasi_oleh.display_name})"
        if obj.status == HoldingStatus.DITOLAK:
            return f"{obj.status.label}: {obj.alasan_tolak}"
        return obj.status.label

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.recorder = request.user  # a fresh class per request: the attribute does not leak between users
        return form

    def get_readonly_fields(self, request, obj=None):
        # An existing holding can only be ended; anything else is a new holding.
        if obj is None:
            return ()
        return (
            "user",
            "role",
            "capacity",
            "mulai",
            "nomor_sk",
            "tanggal_sk",
            "keterangan",
            *self.DECISION_FIELDS,
            "alasan_tolak",
        )

    def get_fields(self, request, obj=None):
        fields = list(RoleHoldingForm.Meta.fields)
        return [*fields, *self.DECISION_FIELDS, "alasan_tolak"] if obj else fields

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
            tanggal_sk=obj.tanggal_sk,
            keterangan=obj.keterangan,
            by=request.user,
        )
        obj.pk = saved.pk
        if saved.is_acting:
            confirmer = "Sekretaris Dinas" if saved.role_id == roles.KEPALA_DINAS else "Kepala Dinas"
            self.message_user(
                request,
                f"Penunjukan {saved.capacity_prefix}{saved.role.nama} untuk {saved.user.display_name} menunggu "
                f"konfirmasi {confirmer}; sebelum dikonfirmasi penunjukan ini belum memberi wewenang apa pun.",
                messages.WARNING,
            )

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


# Registered by the penduduk app; named here because core sits below it.
PERSONAL_DATA_PERMISSION = "lihat data pribadi"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "action", "actor", "role", "acting_as", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("object_id", "actor__username")

    def get_fields(self, request, obj=None):
        """The Admin is a masked role: payloads naming a resident are shown masked to them."""
        fields = list(super().get_fields(request, obj))
        if not user_may(request.user, PERSONAL_DATA_PERMISSION):
            fields = ["payload_tersamar" if name == "payload" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "payload_tersamar"]

    @admin.display(description="payload")
    def payload_tersamar(self, obj: AuditEvent) -> str:
        text = json.dumps(obj.payload, ensure_ascii=False, sort_keys=True)
        # Dates are cut to the year only in payloads that name a NIK/No. KK, i.e. that are about a person.
        return personal_text_mask(text) if IDENTITY_NUMBER.search(text) else text
