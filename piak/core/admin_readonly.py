from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data shipped with PIAK: viewable in the admin, changed only by `piak load-reference`."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
