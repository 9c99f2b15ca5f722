import os

from django.core.management.base import BaseCommand, CommandError

from piak.core.dbroles import db_app_role_grant
from piak.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "PostgreSQL: membuat peran aplikasi (PIAK_DB_APP_ROLE, bawaan piak_app) bila belum ada dan memberi haknya: "
        "jejak audit hanya boleh ditambah dan dibaca. Jalankan sebagai pemilik tabel setelah setiap migrate. "
        "Kata sandi peran diambil dari PIAK_DB_APP_PASSWORD bila diisi."
    )

    def handle(self, *args, **options) -> None:
        try:
            role = db_app_role_grant(password=os.environ.get("PIAK_DB_APP_PASSWORD", ""))
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(f"Peran '{role}' siap: jejak audit hanya INSERT/SELECT, tanpa TRUNCATE/UPDATE/DELETE.")
        )
