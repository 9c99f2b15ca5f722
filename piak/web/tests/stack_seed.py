"""Lays down, in the production stack's database, an SOP 1 letter waiting for the Kepala Dinas's signature:
the demo officials, the Kepala Dinas's passphrase, a case initialled by the Kabid and the Sekretaris.
Run by test_production_stack.py with the stack's environment (`python -m piak.web.tests.stack_seed`);
prints the case's and the letter's ids."""

import django


def letter_waiting_for_signature() -> tuple[int, int]:
    from piak.core.demo import demo_officials_ensure
    from piak.core.models import User
    from piak.naskah.tests.helpers import passphrase_for
    from piak.sop import services
    from tests.sops.drive import start_letter_case

    demo_officials_ensure(acting=False)
    users = {u.username: u for u in User.objects.filter(username__in=["kasi.ppd", "kabid", "sekretaris", "kadis"])}
    passphrase_for(users["kadis"])
    case = start_letter_case(users["kasi.ppd"])
    run = case.step_runs.get(selesai_pada__isnull=True)
    services.step_complete(
        step_run=run, user=users["kasi.ppd"], checklist=list(case.versi.definition.step(1).checklist)
    )
    for username in ("kabid", "kabid", "sekretaris"):
        run = case.step_runs.get(selesai_pada__isnull=True)
        services.step_paraf(step_run=run, user=users[username], document_hash=case.documents.get().sha256)
    return case.pk, case.naskah.pk


if __name__ == "__main__":
    django.setup()
    print(*letter_waiting_for_signature())
