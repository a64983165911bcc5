"""Legal deadlines of data-protection requests: business days of the city's country, its public holidays,
the city's own calendar day; and the words a citizen reads the date in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.data_requests import add_business_days, business_days_left, day_in_words, due_on
from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings

FRIDAY = date(2026, 12, 4)  # Tuesday 8 December (Immaculate Conception) is a holiday in both countries


def city(country: str, zone: str = "America/Bogota", **days: str) -> Settings:
    overrides = {"city.data_protection.country": country, "city.time_zone": zone}
    overrides |= {f"city.data_protection.days.{kind}": value for kind, value in days.items()}
    return load_settings(None, {}, **overrides)


def at(settings: Settings, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A moment in the city's time zone, as the database stores it (UTC)."""
    local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(str(settings.city.zone)))
    return local.astimezone(UTC)


def test_colombia_ten_business_days_across_a_weekend_and_a_holiday() -> None:
    # Friday 4: Mon 7 is day 1, Tue 8 a holiday, Wed 9…Fri 11 days 2–4, Mon 14…Fri 18 days 5–9,
    # Mon 21 day 10.
    assert add_business_days(FRIDAY, 10, "CO") == date(2026, 12, 21)
    colombia = city("CO")
    assert due_on(colombia, "see", at(colombia, 2026, 12, 4, 10, 0)) == date(2026, 12, 21)
    # A correction is a claim (Ley 1581 art. 15): 15 business days, past Christmas.
    assert due_on(colombia, "correct", at(colombia, 2026, 12, 4, 10, 0)) == date(2026, 12, 29)


def test_argentina_five_business_days_with_its_bridge_holiday() -> None:
    # Ley 25.326 art. 16: rectification and suppression within 5 business days. From Friday 4: Sat 5 and
    # Sun 6 do not count; Mon 7 is a bridge holiday ("día no laborable con fines turísticos", in the
    # holidays package for 2026) and Tue 8 the Immaculate Conception; so Wed 9, Thu 10, Fri 11, Mon 14 and
    # Tue 15 are days 1 to 5. Colombia's count of the same week has Mon 7 as a working day.
    argentina = city("AR", "America/Argentina/Buenos_Aires")
    assert due_on(argentina, "correct", at(argentina, 2026, 12, 4, 10, 0)) == date(2026, 12, 15)
    assert due_on(argentina, "erase", at(argentina, 2026, 12, 4, 10, 0)) == date(2026, 12, 15)
    assert due_on(argentina, "see", at(argentina, 2026, 12, 4, 10, 0)) == date(2026, 12, 22)


def test_the_city_calendar_day_counts_not_utc() -> None:
    colombia = city("CO")
    friday_night = at(colombia, 2026, 12, 4, 23, 30)  # already Saturday 04:30 in UTC
    assert friday_night.date() == date(2026, 12, 5)
    assert due_on(colombia, "see", friday_night) == date(2026, 12, 21)
    # The day zero matters on a Thursday night: counted from Thursday 3 (the city's day), Friday 4 is day 1
    # and the tenth is Friday 18; counted from UTC's Friday it would be Monday 21.
    thursday_night = at(colombia, 2026, 12, 3, 23, 30)
    assert due_on(colombia, "see", thursday_night) == date(2026, 12, 18)
    assert add_business_days(date(2026, 12, 4), 10, "CO") == date(2026, 12, 21)


def test_mexico_and_spain_defaults() -> None:
    mexico = city("MX", "America/Mexico_City")
    # 20 business days from Friday 4 December: Christmas and New Year's Day do not count.
    assert due_on(mexico, "erase", at(mexico, 2026, 12, 4, 10, 0)) == date(2027, 1, 5)
    spain = city("ES", "Europe/Madrid")
    # Spain also has 8 December and Epiphany (6 January) off: the twentieth is Thursday 7 January.
    assert due_on(spain, "export", at(spain, 2026, 12, 4, 10, 0)) == date(2027, 1, 7)


def test_days_given_in_config_override_the_defaults() -> None:
    custom = city("CO", see="3")
    assert due_on(custom, "see", at(custom, 2026, 12, 4, 10, 0)) == date(2026, 12, 10)
    assert custom.city.data_protection.days_for("erase") == 15


def test_a_country_without_defaults_needs_its_days() -> None:
    with pytest.raises(SettingsError, match=r"city\.data_protection\.days: no default for country 'UY'"):
        city("UY", "America/Montevideo")
    uruguay = city("UY", "America/Montevideo", see="5", export="5", correct="5", erase="5")
    assert uruguay.city.data_protection.days_for("correct") == 5


def test_business_days_left_is_negative_once_overdue() -> None:
    due = date(2026, 12, 21)  # a Monday
    assert business_days_left(date(2026, 12, 21), due, "CO") == 0
    assert business_days_left(date(2026, 12, 18), due, "CO") == 1  # Friday: the weekend does not count
    assert business_days_left(date(2026, 12, 7), due, "CO") == 9  # Tue 8 is a holiday
    assert business_days_left(date(2026, 12, 22), due, "CO") == -1
    # Tue 22, Wed 23, Thu 24 and Mon 28 have passed; Christmas Day and the weekend do not count.
    assert business_days_left(date(2026, 12, 28), due, "CO") == -4
    assert business_days_left(date(2026, 12, 21) + timedelta(days=5), due, "CO") == -3  # Sat 26


def test_the_date_in_words() -> None:
    assert day_in_words(date(2026, 12, 21), "es") == "lunes 21 de diciembre"
    assert day_in_words(date(2027, 1, 6), "es") == "miércoles 6 de enero"
    assert day_in_words(date(2026, 12, 21), "en") == "Monday 21 December"
