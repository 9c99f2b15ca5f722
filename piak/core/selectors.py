"""Who may act as which role on which day."""

from datetime import date

from django.db.models import Q, QuerySet

from .models import RoleHolding, User


def _holdings_on(on: date) -> QuerySet[RoleHolding]:
    return RoleHolding.objects.filter(
        Q(selesai__isnull=True) | Q(selesai__gte=on), mulai__lte=on, user__is_active=True
    ).select_related("user", "role")


def role_holders_on(*, role: str, on: date) -> list[RoleHolding]:
    """Everyone who may act as `role` on `on`: definitive holders first, then Plt, then Plh."""
    order = {"definitif": 0, "plt": 1, "plh": 2}
    holdings = _holdings_on(on).filter(role_id=role)
    return sorted(holdings, key=lambda h: (order[h.capacity], h.user.username))


def roles_of_user_on(*, user: User, on: date) -> list[RoleHolding]:
    """The roles `user` may act in on `on`, each with the capacity (definitif/Plt/Plh) they hold it in."""
    return list(_holdings_on(on).filter(user=user).order_by("role__urutan", "capacity"))


def holding_for(*, user: User, role: str, on: date) -> RoleHolding | None:
    """The holding that lets `user` act as `role` on `on`, preferring a definitive one."""
    holdings = [h for h in roles_of_user_on(user=user, on=on) if h.role_id == role]
    holdings.sort(key=lambda h: h.is_acting)
    return holdings[0] if holdings else None


def users_with_a_role_on(*, on: date) -> QuerySet[User]:
    """Active users who hold at least one role (definitively or acting) on `on`."""
    return User.objects.filter(
        Q(role_holdings__selesai__isnull=True) | Q(role_holdings__selesai__gte=on),
        role_holdings__mulai__lte=on,
        is_active=True,
    ).distinct()
