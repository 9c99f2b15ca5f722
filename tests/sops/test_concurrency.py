"""Two officials act on the same step at the same moment (PostgreSQL, real row locks)."""

import threading

import pytest
from django.db import connection

from piak.core.audit import audit_chain_verify
from piak.core.errors import DomainError
from piak.core.testing import acting_appoint_confirmed
from piak.sop import services
from piak.sop.models import StepRun
from tests.sops.drive import current_hash, open_run, start_case, walk_to


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_paraf_the_same_step_exactly_one_wins(office, make_official):
    from datetime import date

    second_kabid = make_official("kabid_b")
    acting_appoint_confirmed(
        user=second_kabid,
        role="kabid_piak",
        capacity="plh",
        mulai=date(2020, 1, 1),
        selesai=date(2099, 12, 31),
    )
    case = walk_to(start_case("sop-1", office), 2, office)
    run, seen = open_run(case), current_hash(case)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def paraf(user):
        try:
            barrier.wait()
            services.step_paraf(step_run=run, user=user, document_hash=seen)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=paraf, args=(u,)) for u in (office["kabid_piak"], second_kabid)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "sop_step_closed"]
    assert StepRun.objects.filter(case=case, langkah=2).count() == 1
    assert StepRun.objects.filter(case=case, langkah=3).count() == 1
    assert audit_chain_verify().ok
