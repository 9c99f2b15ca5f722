from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from piak.core.demo import demo_officials_ensure
from piak.core.selectors import roles_of_user_on


class Command(BaseCommand):
    help = "Membuat satu pengguna demo untuk setiap jabatan dan mencetak nama pengguna serta kata sandinya."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Jalankan juga di luar instans demo (PIAK_DEMO), mis. di server uji."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.PIAK_DEMO and not force:
            raise CommandError(
                "Pengguna demo hanya untuk pengembangan (instans demo, PIAK_DEMO). "
                "Gunakan --force bila memang diperlukan."
            )
        today = timezone.localdate()
        self.stdout.write("Pengguna demo (nama pengguna, kata sandi, jabatan):")
        for official, user in demo_officials_ensure():
            held = ", ".join(f"{h.capacity_prefix}{h.role.nama}" for h in roles_of_user_on(user=user, on=today))
            self.stdout.write(f"  {official.username:<12} {official.password:<26} {held}")
        if not settings.PIAK_DEMO:
            self.stdout.write(
                "Ini bukan instans demo (PIAK_DEMO): setiap pengguna harus mengganti kata sandi saat masuk."
            )
