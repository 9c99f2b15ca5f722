from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import events
from .audit import request_user
from .lockout import client_ip, failure_record, failures_clear
from .models import RoleHolding, User
from .selectors import roles_forget


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    failures_clear(user.username)
    events.login(user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        events.logout(user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username") or ""
    if not username:
        return
    failure_record(username, client_ip(request))  # audits an existing user's lockout itself


# --- user and access changes as audit events ------------------------------------------------------------
# Signals rather than admin hooks: they catch every path (admin forms, the password page, shell, commands).
AUDITED_USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "nip",
    "nama_cetak",
    "jabatan",
    "is_active",
    "is_staff",
    "is_superuser",
)
PASSWORD_CHANGED = "diubah"  # what the event says of a password; never the hash


def _is_rehash(user: User, update_fields) -> bool:
    """Django re-hashes a password at login with a newer hasher: the same password, not a change."""
    return user._password is None and update_fields is not None and set(update_fields) == {"password"}


@receiver(pre_save, sender=User)
def remember_user_before(sender, instance: User, update_fields=None, **kwargs) -> None:
    instance._audit_before = None
    watched = {*AUDITED_USER_FIELDS, "password"}
    if instance._state.adding or (update_fields is not None and not watched & set(update_fields)):
        return  # a new user, or a save of fields nobody audits (last_login at every login)
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*watched).first()


@receiver(post_save, sender=User)
def audit_user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if created:
        fields = {name: getattr(instance, name) for name in AUDITED_USER_FIELDS if name != "username"}
        events.user_created(
            instance, {**fields, "kata_sandi_dapat_dipakai": instance.has_usable_password()}, by=request_user()
        )
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return
    changes: dict[str, object] = {
        name: [before[name], getattr(instance, name)]
        for name in AUDITED_USER_FIELDS
        if before[name] != getattr(instance, name)
    }
    if before["password"] != instance.password and not _is_rehash(instance, update_fields):
        changes["kata_sandi"] = PASSWORD_CHANGED
    if changes:
        events.user_changed(instance, changes, by=request_user())


ACCESS_RELATIONS = {
    User.groups.through: "grup",
    User.user_permissions.through: "hak akses",
    Group.permissions.through: "hak akses grup",
}


def _related_pks(through, instance, model) -> list:
    source = next(f for f in through._meta.fields if f.is_relation and f.related_model is type(instance))
    target = next(f for f in through._meta.fields if f.is_relation and f.related_model is model and f is not source)
    return list(through.objects.filter(**{source.name: instance.pk}).values_list(target.attname, flat=True))


def _names(model, pks) -> list[str]:
    return sorted(str(item) for item in model.objects.filter(pk__in=pks))


@receiver(m2m_changed)
def audit_access_changed(sender, instance, action: str, model, pk_set, **kwargs) -> None:
    relation = ACCESS_RELATIONS.get(sender)
    if relation is None:
        return
    if action == "pre_clear":
        # What is about to be cleared, so the event can name it.
        instance._audit_cleared = _related_pks(sender, instance, model)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = instance.__dict__.pop("_audit_cleared", []) if action == "post_clear" else pk_set
    if pks:
        change = "ditambah" if action == "post_add" else "dihapus"
        events.access_changed(instance, relation, change, _names(model, pks), by=request_user())


# --- the request's remembered roles -------------------------------------------------------------------
@receiver([post_save, post_delete], sender=RoleHolding)
@receiver([post_save, post_delete], sender=User)
def forget_remembered_roles(sender, **kwargs) -> None:
    """A holding or a user changed within a request: its roles are read afresh from then on."""
    roles_forget()
