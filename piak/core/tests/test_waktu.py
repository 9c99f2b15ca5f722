"""`waktu_wib`: one format for every timestamp people see, in WIB (UTC+7) and labelled."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template

from piak.core import roles
from piak.core.waktu import waktu_wib


def test_a_utc_moment_is_written_at_its_wib_hour_with_the_label():
    assert waktu_wib(datetime(2026, 12, 1, 12, 48, 5, tzinfo=UTC)) == "01-12-2026 19:48 WIB"
    assert waktu_wib(datetime(2026, 12, 1, 12, 48, 5, tzinfo=UTC), seconds=True) == "01-12-2026 19:48:05 WIB"


def test_the_wib_day_is_the_one_written_across_midnight_utc():
    assert waktu_wib(datetime(2026, 12, 31, 17, 30, tzinfo=UTC)) == "01-01-2027 00:30 WIB"


def test_any_zone_gives_the_same_wib_text():
    moment = datetime(2026, 12, 1, 12, 48, tzinfo=UTC)
    for zone in (ZoneInfo("Asia/Makassar"), ZoneInfo("Europe/Amsterdam"), timezone(timedelta(hours=-5))):
        assert waktu_wib(moment.astimezone(zone)) == "01-12-2026 19:48 WIB"


def test_none_is_empty_and_a_naive_datetime_is_refused():
    assert waktu_wib(None) == ""
    with pytest.raises(ValueError, match="aware"):
        waktu_wib(datetime(2026, 12, 1, 12, 48))


def test_the_template_filter_is_a_builtin_and_says_the_same():
    moment = datetime(2026, 12, 1, 12, 48, 5, tzinfo=UTC)
    text = Template('{{ t|waktu_wib }} · {{ t|waktu_wib:"detik" }} · {{ none|waktu_wib|default:"—" }}').render(
        Context({"t": moment, "none": None})
    )
    assert text == "01-12-2026 19:48 WIB · 01-12-2026 19:48:05 WIB · —"


def test_the_admin_lists_audit_events_at_their_wib_time_labelled(client, make_official):
    with time_machine.travel(datetime(2026, 12, 1, 12, 48, tzinfo=UTC), tick=False):
        admin = make_official("admin", roles.ADMIN, is_staff=True, is_superuser=True)  # its holding is an event
    client.force_login(admin)
    page = client.get("/admin/core/auditevent/").content.decode()
    assert "01-12-2026 19:48 WIB" in page and "12:48" not in page
