"""Working time: office hours per weekday, minus Indonesian national holidays and extra days off.

Time standards of the SOPs ("15 menit", "1 hari") are measured in this time. All arithmetic is done in
the office's time zone (WIB); the functions accept any aware datetime.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from .errors import DomainError

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_HOURS: dict[int, tuple[time, time]] = {d: (time(8), time(16)) for d in range(5)}
# Guard against a calendar with no working day at all, which would otherwise loop forever.
MAX_DAYS_SCANNED = 3660


@cache
def _national_table() -> holidays.HolidayBase:
    return holidays.country_holidays("ID", language="id")


def is_national_holiday(day: date) -> bool:
    """Indonesia's national holidays (public category), expanded to any year on demand."""
    return day in _national_table()


@dataclass(frozen=True)
class WorkingCalendar:
    hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    days_off: frozenset[date] = frozenset()
    is_holiday: Callable[[date], bool] = is_national_holiday
    # Periods in which time standards stop counting (outages, `StandardPause`), each (start, end).
    pauses: tuple[tuple[datetime, datetime], ...] = ()

    def span(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing moment of `day`, or None when the office is closed."""
        hours = self.hours.get(day.weekday())
        if hours is None or day in self.days_off or self.is_holiday(day):
            return None
        opens, closes = hours
        return datetime.combine(day, opens, WIB), datetime.combine(day, closes, WIB)

    def segments(self, day: date) -> list[tuple[datetime, datetime]]:
        """The counted periods of `day`: its office hours less any pause."""
        span = self.span(day)
        pieces = [span] if span else []
        for start, end in self.pauses:
            pieces = [part for piece in pieces for part in _without(piece, start, end)]
        return pieces

    def minutes_per_day(self) -> int:
        """The length of a typical working day, used for time standards stated in days."""
        spans = [(datetime.combine(date.min, c) - datetime.combine(date.min, o)) for o, c in self.hours.values()]
        return int(max(spans, default=timedelta()).total_seconds() // 60)


def _without(piece: tuple[datetime, datetime], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """`piece` with the period from `start` to `end` cut out (zero, one or two parts)."""
    a, b = piece
    if end <= a or start >= b:
        return [piece]
    return [(x, y) for x, y in ((a, start), (end, b)) if y > x]


def _days_from(day: date):
    for offset in range(MAX_DAYS_SCANNED):
        yield day + timedelta(days=offset)
    raise DomainError("Kalender kerja tidak mempunyai hari kerja.", code="calendar_no_working_day")


def add_working_minutes(start: datetime, minutes: int, calendar: WorkingCalendar | None = None) -> datetime:
    """The moment `minutes` of working time after `start`.

    Time outside office hours does not count; a result that lands exactly on closing time stays there
    rather than moving to the next morning.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    calendar = calendar or current_calendar()
    moment = start.astimezone(WIB)
    remaining = timedelta(minutes=minutes)
    if not remaining:
        return moment
    for day in _days_from(moment.date()):
        for opens, closes in calendar.segments(day):
            begin = max(moment, opens)
            if begin >= closes:
                continue
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
    raise AssertionError("unreachable")


def working_seconds_between(a: datetime, b: datetime, calendar: WorkingCalendar | None = None) -> float:
    if b < a:
        return -working_seconds_between(b, a, calendar)
    calendar = calendar or current_calendar()
    a, b = a.astimezone(WIB), b.astimezone(WIB)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        for opens, closes in calendar.segments(day):
            total += max(min(b, closes) - max(a, opens), timedelta())
        day += timedelta(days=1)
    return total.total_seconds()


def working_minutes_between(a: datetime, b: datetime, calendar: WorkingCalendar | None = None) -> int:
    """Whole working minutes from `a` to `b` (negative when `b` is before `a`)."""
    seconds = working_seconds_between(a, b, calendar)
    return int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)


def current_calendar(now: datetime | None = None) -> WorkingCalendar:
    """The calendar as configured in the database (office hours, extra days off and the pauses of the
    time standards; a pause still open counts until `now`)."""
    from django.utils import timezone

    from .models import DayOff, OfficeHours, StandardPause

    rows = list(OfficeHours.objects.all())
    hours = {r.weekday: (r.opens, r.closes) for r in rows if r.is_working} if rows else dict(DEFAULT_HOURS)
    days_off = frozenset(DayOff.objects.values_list("tanggal", flat=True))
    now = now or timezone.now()
    pauses = tuple(
        (start, end or now)
        for start, end in StandardPause.objects.values_list("mulai", "selesai")
        if start < (end or now)
    )
    return WorkingCalendar(hours=hours, days_off=days_off, pauses=pauses)


def cuti_bersama(year: int) -> dict[date, str]:
    """The government's collective leave days for `year` as published in the holidays package."""
    table = holidays.country_holidays("ID", years=year, categories=("government",), language="id")
    return dict(table.items())
