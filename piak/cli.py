"""The `piak` console script: Django's manage.py, with hyphenated command names (`piak verify-audit`)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piak.settings.dev")
    from django.core.management import execute_from_command_line

    from piak.core.cli_support import command_name

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = command_name(args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
