"""Permissions held through roles (jabatan), for the day they are asked about.

An app registers each permission with the roles that have it by default; views check with
`user_may` or guard themselves with `role_required` / `permission_required`.
"""

from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from . import roles
from .models import User
from .selectors import roles_of_user_on

# permission name -> (description shown to people, role codes that hold it)
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {}


def register_permission(name: str, description: str, roles: Iterable[str]) -> str:
    PERMISSIONS[name] = (description, frozenset(roles))
    return name


def acting_role_codes(user: User, on: date | None = None) -> set[str]:
    """The roles `user` may act in on `on` (today by default), acting roles included."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {h.role_id for h in roles_of_user_on(user=user, on=on or timezone.localdate())}


def user_may(user: User, permission: str, on: date | None = None) -> bool:
    _, roles = PERMISSIONS[permission]
    return bool(acting_role_codes(user, on) & roles)


def _guard(check: Callable[[User], bool]):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_required(*roles: str):
    """Allow the view to users who may act in one of `roles` today (definitively or as Plt/Plh)."""
    return _guard(lambda user: bool(acting_role_codes(user) & set(roles)))


def permission_required(permission: str):
    return _guard(lambda user: user_may(user, permission))


def is_admin(user: User) -> bool:
    """The Admin (definitive or acting today) or a superuser: who sees the system's own pages (backups)."""
    return user.is_superuser or roles.ADMIN in acting_role_codes(user)


def admin_required(view):
    return _guard(is_admin)(view)
