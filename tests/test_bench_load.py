"""The load benchmark's office (`bench/load_setup.py`): fifty officials, each able to initial a case of
their own, so that `bench/load.py` cannot silently rot."""

from bench.load_setup import load_officials_create
from piak.core.demo import demo_officials_ensure
from piak.core.models import User
from piak.sop.models import Case
from piak.sop.selectors import actions_for


def test_fifty_officials_each_with_a_case_to_initial(db):
    demo_officials_ensure()
    officials = load_officials_create(count=50)

    assert len({o.username for o in officials}) == 50
    assert len({o.case_id for o in officials}) == 50
    for official in officials:
        user = User.objects.get(username=official.username)
        assert user.check_password(official.password) and not user.harus_ganti_sandi
        case = Case.objects.get(pk=official.case_id)
        assert "paraf" in actions_for(case=case, user=user).actions, official
    # A case is its official's own: nobody else in another role may initial it.
    kasi_siak, kasi_tik = officials[0], officials[1]
    other_case = Case.objects.get(pk=kasi_tik.case_id)
    assert "paraf" not in actions_for(case=other_case, user=User.objects.get(username=kasi_siak.username)).actions
