"""The known garbage parameters: a 400 page in Bahasa Indonesia, and the good values still work."""

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict

from piak.core import roles
from piak.web.params import int_param


@pytest.mark.parametrize("raw", ["abc", "-1", "1e3", "2026.5", "99999999999999999999", "\x00"])
def test_a_year_that_is_not_a_plausible_whole_number_is_a_bad_request(raw):
    with pytest.raises(BadRequest):
        int_param(QueryDict(f"tahun={raw}"), "tahun")


def test_an_absent_or_empty_value_is_the_default_and_a_good_one_is_read():
    assert int_param(QueryDict(""), "tahun", 2026) == 2026
    assert int_param(QueryDict("tahun="), "tahun", 2026) == 2026
    assert int_param(QueryDict("tahun=2025"), "tahun", 2026) == 2025


@pytest.mark.parametrize("url", ["/naskah/nomor/?tahun=abc", "/sop/sop-1/?versi=abc", "/sop/sop-1/pdf/?versi=-1"])
def test_the_pages_answer_400_with_a_reason(client, make_official, url):
    client.force_login(make_official("kadis", roles.KEPALA_DINAS))
    client.raise_request_exception = False  # the test client re-raises what Django turns into the 400 page
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Permintaan tidak valid" in html and "tidak dapat dibaca" in html


def test_good_values_still_work(client, make_official):
    client.force_login(make_official("kadis", roles.KEPALA_DINAS))
    assert client.get("/naskah/nomor/?tahun=2025").status_code == 200
    assert client.get("/sop/sop-1/?versi=1").status_code == 200
    assert client.get("/sop/sop-1/?versi=7").status_code == 404  # no such version
