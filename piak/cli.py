"""The `piak` console script: Django's manage.py, with hyphenated command names (`piak verify-audit`)."""

import os
import sys

# Commands that run as the database owner (DATABASE_URL) rather than the application role (DATABASE_APP_URL).
OWNER_COMMANDS = {"migrate", "db_roles", "backup", "restore"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piak.settings.dev")
    from django.core.management import execute_from_command_line

    from piak.core.cli_support import command_name

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = command_name(args[1])
        if args[1] in OWNER_COMMANDS:
            os.environ["PIAK_DB_OWNER"] = "1"  # schema changes and grants as the tables' owner
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
