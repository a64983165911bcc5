"""Data-protection requests (see, export, correct, erase) and their legal deadlines.

Each request is recorded with the last day the law of the city's country allows for an answer, counted in
business days: Saturdays, Sundays and that country's public holidays (the `holidays` package) do not count,
and the day it was asked (in the city's time zone) is day zero."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from bot.settings import Settings
from storage import data_requests
from storage.engine import AsyncSession
from storage.models import DataRequest, DataRequestStatus, utcnow


@lru_cache(maxsize=32)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_business_day(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def add_business_days(start: date, days: int, country: str) -> date:
    """The `days`-th business day after `start` (`start` itself never counts)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_business_day(day, country):
            left -= 1
    return day


def business_days_left(today: date, due: date, country: str) -> int:
    """Business days from `today` to `due`: 0 when due today, negative when overdue (as many as have
    passed since), so a request due on a Friday and looked at on Monday is -1."""
    earlier, later = sorted((today, due))
    count = 0
    day = earlier
    while day < later:
        day += timedelta(days=1)
        count += is_business_day(day, country)
    return count if due >= today else -count


def city_today(settings: Settings, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(settings.city.zone).date()


WEEKDAYS = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip


def day_in_words(day: date, language: str) -> str:
    """ "lunes 21 de diciembre", "Monday 21 December": what a citizen reads, no digits to misread."""
    words = "en" if language == "en" else "es"
    weekday, month = WEEKDAYS[words][day.weekday()], MONTHS[words][day.month - 1]
    return f"{weekday} {day.day} {month}" if words == "en" else f"{weekday} {day.day} de {month}"


def due_on(settings: Settings, kind: str, requested_at: datetime) -> date:
    """The last day to answer a request of this kind asked at `requested_at`."""
    protection = settings.city.data_protection
    local = requested_at.astimezone(settings.city.zone).date()
    return add_business_days(local, protection.days_for(kind), protection.country)


async def record(
    session: AsyncSession,
    settings: Settings,
    citizen_id: int,
    kind: str,
    channel: str,
    *,
    status: str = DataRequestStatus.OPEN,
    detail: str | None = None,
    staff_id: int | None = None,
    now: datetime | None = None,
) -> DataRequest:
    """Record a request with its deadline; one answered at once (`status` done) is closed now."""
    now = now or utcnow()
    request = DataRequest(
        citizen_id=citizen_id,
        kind=kind,
        status=status,
        channel=channel,
        requested_at=now,
        due_on=due_on(settings, kind, now),
        detail=detail,
        staff_id=staff_id,
        done_at=now if status == DataRequestStatus.DONE else None,
    )
    await data_requests.add(session, request)
    return request
