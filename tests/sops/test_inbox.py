from datetime import timedelta

from django.utils import timezone

from piak.core.models import Capacity
from piak.core.testing import acting_appoint_confirmed
from piak.sop.selectors import inbox_for
from tests.sops.drive import start_case, walk_to


def test_inbox_lists_open_steps_due_soonest_first_including_acting_roles(office, make_official):
    early = walk_to(start_case("sop-1", office), 2, office)
    late = walk_to(start_case("sop-2", office), 3, office)
    items = inbox_for(user=office["kabid_piak"])
    assert [(i.run.case_id, i.run.langkah) for i in items] == [(early.pk, 2), (late.pk, 3)]
    assert items[0].run.tenggat <= items[1].run.tenggat

    today = timezone.localdate()
    plh = make_official("plh_kabid", "kasi_ppd")
    acting_appoint_confirmed(
        user=plh,
        role="kabid_piak",
        capacity=Capacity.PLH,
        mulai=today,
        selesai=today + timedelta(days=1),
    )
    acting_items = inbox_for(user=plh)
    assert {i.run.case_id for i in acting_items} == {early.pk, late.pk}
    assert all(i.holding.capacity == "plh" for i in acting_items)


def test_assigned_steps_show_only_to_their_assignee(office, make_official):
    other_staf = make_official("staf_b", "staf")
    case = start_case("sop-2", office)  # step 1 is assigned to the staf who started it
    assert [i.run.case_id for i in inbox_for(user=office["staf"])] == [case.pk]
    assert inbox_for(user=other_staf) == []


def test_inbox_takes_a_constant_number_of_queries(office, django_assert_max_num_queries):
    walk_to(start_case("sop-1", office), 2, office)
    # holdings, holders of each role held, open runs, separation of duties (3), role names for its message
    with django_assert_max_num_queries(9) as few:
        inbox_for(user=office["kabid_piak"])
    for _ in range(15):
        walk_to(start_case("sop-1", office), 2, office)
        walk_to(start_case("sop-2", office), 3, office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(inbox_for(user=office["kabid_piak"])) == 31
