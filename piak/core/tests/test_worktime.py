from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piak.core.services import day_off_set, office_hours_set
from piak.core.worktime import (
    WIB,
    WorkingCalendar,
    add_working_minutes,
    current_calendar,
    working_minutes_between,
)

CAL = WorkingCalendar()  # Mon–Fri 08:00–16:00 WIB with Indonesia's national holidays


def wib(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


# November 2026: Mon 23 … Fri 27, Sat 28, Sun 29, Mon 30. 17 August 2026 (Monday) is Independence Day.
@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (wib(2026, 11, 25, 9), 15, wib(2026, 11, 25, 9, 15)),  # inside a working morning
        (wib(2026, 11, 25, 15, 50), 15, wib(2026, 11, 26, 8, 5)),  # crosses closing time
        (wib(2026, 11, 25, 15, 45), 15, wib(2026, 11, 25, 16)),  # ends exactly at closing: stays there
        (wib(2026, 11, 25, 16), 10, wib(2026, 11, 26, 8, 10)),  # starts at closing
        (wib(2026, 11, 25, 6, 30), 10, wib(2026, 11, 25, 8, 10)),  # starts before opening
        (wib(2026, 11, 25, 20), 60, wib(2026, 11, 26, 9)),  # starts in the evening
        (wib(2026, 11, 27, 15, 30), 60, wib(2026, 11, 30, 8, 30)),  # Friday afternoon → Monday
        (wib(2026, 11, 28, 10), 30, wib(2026, 11, 30, 8, 30)),  # starts on Saturday
        (wib(2026, 11, 25, 10), 480, wib(2026, 11, 26, 10)),  # "1 hari" = one working day
        (wib(2026, 8, 14, 15), 120, wib(2026, 8, 18, 9)),  # Fri → skips weekend and 17 August holiday
        (wib(2026, 11, 25, 10), 0, wib(2026, 11, 25, 10)),  # nothing to add
    ],
)
def test_add_working_minutes(start, minutes, expected):
    assert add_working_minutes(start, minutes, CAL) == expected


@pytest.mark.parametrize(
    ("a", "b", "minutes"),
    [
        (wib(2026, 11, 25, 9), wib(2026, 11, 25, 9, 15), 15),
        (wib(2026, 11, 25, 15, 50), wib(2026, 11, 26, 8, 5), 15),
        (wib(2026, 11, 27, 15), wib(2026, 11, 30, 9), 120),  # a weekend counts nothing
        (wib(2026, 11, 28, 9), wib(2026, 11, 29, 17), 0),  # entirely on a weekend
        (wib(2026, 11, 25, 17), wib(2026, 11, 26, 7), 0),  # entirely outside office hours
        (wib(2026, 8, 17, 9), wib(2026, 8, 17, 15), 0),  # a national holiday
        (wib(2026, 11, 25, 9), wib(2026, 11, 25, 8), -60),  # reversed
        (wib(2026, 11, 23, 8), wib(2026, 11, 30, 8), 5 * 480),  # one working week
    ],
)
def test_working_minutes_between(a, b, minutes):
    assert working_minutes_between(a, b, CAL) == minutes


def test_other_time_zones_are_converted_to_wib():
    start = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09:00 WIB
    assert add_working_minutes(start, 30, CAL) == wib(2026, 11, 25, 9, 30)


def test_cuti_bersama_and_office_hours_from_the_database(db):
    day_off_set(tanggal=date(2026, 11, 26), nama="Cuti bersama uji")
    office_hours_set(weekday=4, is_working=True, opens=time(7, 30), closes=time(11, 30))  # short Friday
    calendar = current_calendar()
    assert add_working_minutes(wib(2026, 11, 25, 15, 30), 60, calendar) == wib(2026, 11, 27, 8)
    assert working_minutes_between(wib(2026, 11, 27, 7), wib(2026, 11, 27, 12), calendar) == 240


def test_saturday_can_be_made_a_working_day(db):
    office_hours_set(weekday=5, is_working=True, opens=time(8), closes=time(12))
    assert add_working_minutes(wib(2026, 11, 27, 15, 30), 60, current_calendar()) == wib(2026, 11, 28, 8, 30)


def test_a_calendar_without_working_days_is_an_error():
    from piak.core.errors import DomainError

    with pytest.raises(DomainError, match="tidak mempunyai hari kerja"):
        add_working_minutes(wib(2026, 1, 1), 10, WorkingCalendar(hours={}))


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=WIB)
)
amounts = st.integers(min_value=0, max_value=20 * 480)


@settings(max_examples=300, deadline=None)
@given(start=moments, minutes=amounts)
def test_adding_then_measuring_returns_the_same_minutes(start, minutes):
    assert working_minutes_between(start, add_working_minutes(start, minutes, CAL), CAL) == minutes


@settings(max_examples=300, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_adding_is_monotonic(start, a, b):
    low, high = sorted((a, b))
    assert add_working_minutes(start, low, CAL) <= add_working_minutes(start, high, CAL)


@settings(max_examples=300, deadline=None)
@given(start=moments, gap1=st.integers(0, 20_000), gap2=st.integers(0, 20_000))
def test_measuring_is_monotonic_and_additive(start, gap1, gap2):
    middle = start + timedelta(minutes=gap1)
    end = middle + timedelta(minutes=gap2)
    first, second = working_minutes_between(start, middle, CAL), working_minutes_between(middle, end, CAL)
    assert 0 <= first <= working_minutes_between(start, end, CAL)
    assert first + second == working_minutes_between(start, end, CAL)


# An outage from Wednesday 25 November 2026 14:00 to Thursday 26 November 10:30 WIB: 2 h + 2.5 h of office time.
OUTAGE = (wib(2026, 11, 25, 14), wib(2026, 11, 26, 10, 30))
PAUSED = WorkingCalendar(pauses=(OUTAGE,))


def test_a_pause_is_not_counted_as_working_time():
    assert working_minutes_between(wib(2026, 11, 25, 8), wib(2026, 11, 26, 16), CAL) == 960
    assert working_minutes_between(wib(2026, 11, 25, 8), wib(2026, 11, 26, 16), PAUSED) == 960 - 270
    assert working_minutes_between(wib(2026, 11, 25, 15), wib(2026, 11, 26, 9), PAUSED) == 0


def test_a_due_time_moves_by_the_paused_working_minutes():
    start = wib(2026, 11, 25, 13)
    assert add_working_minutes(start, 120, CAL) == wib(2026, 11, 25, 15)
    # One hour before the outage, the other after it ends.
    assert add_working_minutes(start, 120, PAUSED) == wib(2026, 11, 26, 11, 30)
    # A step opened during the outage starts counting when it ends.
    assert add_working_minutes(wib(2026, 11, 25, 15), 30, PAUSED) == wib(2026, 11, 26, 11)


@settings(max_examples=200, deadline=None)
@given(start=moments, minutes=amounts)
def test_adding_then_measuring_with_a_pause_returns_the_same_minutes(start, minutes):
    end = add_working_minutes(start, minutes, PAUSED)
    assert working_minutes_between(start, end, PAUSED) == minutes


def test_an_open_pause_counts_until_now(db):
    from piak.core.models import StandardPause

    StandardPause.objects.create(mulai=OUTAGE[0], alasan="SIAK Terpusat tidak dapat diakses", sumber="Insiden uji")
    calendar = current_calendar(now=wib(2026, 11, 25, 15))
    assert calendar.pauses == ((OUTAGE[0], wib(2026, 11, 25, 15)),)
    assert working_minutes_between(wib(2026, 11, 25, 13), wib(2026, 11, 25, 16), calendar) == 120
