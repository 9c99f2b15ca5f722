"""The PostgreSQL role the application runs as: it does not own the tables, and on the audit chain it
may only add and read (events: INSERT/SELECT; head row: INSERT/SELECT/UPDATE). Run by the tables' owner
after every `migrate` (`piak db-roles`); idempotent."""

from django.conf import settings
from django.db import connection, transaction

from .errors import DomainError

AUDIT_EVENTS = "core_auditevent"
AUDIT_HEAD = "core_auditchainhead"
DML = "SELECT, INSERT, UPDATE, DELETE"


def _role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def _refuse_privileged(cursor, role: str) -> None:
    """The point is lost if the role is a superuser or may act as the tables' owner."""
    cursor.execute(
        "SELECT r.rolsuper OR pg_has_role(r.oid, t.tableowner, 'USAGE') FROM pg_roles r, pg_tables t "
        "WHERE r.rolname = %s AND t.tablename = %s AND t.schemaname = current_schema()",
        [role, AUDIT_EVENTS],
    )
    row = cursor.fetchone()
    if row is None or row[0]:
        raise DomainError(
            f"Peran '{role}' adalah superuser atau pemilik tabel audit; gunakan peran tersendiri untuk aplikasi.",
            code="db_role_privileged",
        )


@transaction.atomic
def db_app_role_grant(*, password: str = "") -> str:
    """Create (when missing) and grant the application role; returns its name."""
    if connection.vendor != "postgresql":
        raise DomainError("Peran basis data hanya berlaku untuk PostgreSQL.", code="db_role_not_postgresql")
    role = settings.PIAK_DB_APP_ROLE
    name = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        if not _role_exists(cursor, role):
            cursor.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
        if password:
            cursor.execute(f"ALTER ROLE {name} PASSWORD %s", [password])
        _refuse_privileged(cursor, role)
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = (connection.ops.quote_name(part) for part in cursor.fetchone())
        for statement in (
            f"GRANT CONNECT ON DATABASE {database} TO {name}",
            f"GRANT USAGE ON SCHEMA {schema} TO {name}",
            f"GRANT {DML} ON ALL TABLES IN SCHEMA {schema} TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {DML} ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {name}",
            f"REVOKE ALL ON {AUDIT_EVENTS}, {AUDIT_HEAD} FROM {name}",
            f"GRANT SELECT, INSERT ON {AUDIT_EVENTS} TO {name}",
            f"GRANT SELECT, INSERT, UPDATE ON {AUDIT_HEAD} TO {name}",
        ):
            cursor.execute(statement)
    return role
