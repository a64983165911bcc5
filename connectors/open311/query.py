"""Pure validation of GET requests parameters (GeoReport v2, plus the usual page/page_size extension)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings
from connectors.errors import BadInput
from connectors.open311.parser import Form, language_of, one, parse_datetime

# The specification's default window, and the longest range a query may ask for.
SPAN = timedelta(days=90)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_PAGE = 10_000
MAX_IDS = 100
CASE_CODE = re.compile(r"[0-9A-Z]{3}-[0-9A-Z]{3}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class RequestQuery:
    start: datetime
    end: datetime
    language: str
    codes: tuple[str, ...] = ()  # service_request_id: when given, every other filter is ignored
    service_codes: tuple[str, ...] = ()
    is_open: bool | None = None  # None: open and closed
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def case_code(text: str) -> str | None:
    """The case code in its canonical form ("k7m-4qp" → "K7M-4QP"), or None if it is not one."""
    code = text.strip().upper()
    return code if CASE_CODE.fullmatch(code) else None


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def parse_query(
    form: Form, settings: Settings, now: datetime, accept_language: str | None = None
) -> RequestQuery:
    """Validate the query string of GET requests; `now` is when the default 90-day window ends."""
    language = language_of(one(form, "locale"), accept_language, settings.city.default_language)
    one(form, "jurisdiction_id")
    ids = _listed(one(form, "service_request_id", 8 * MAX_IDS))
    codes = [case_code(i) for i in ids]
    if len(ids) > MAX_IDS or None in codes:
        raise BadInput("bad_value", "open311_bad_value", field="service_request_id")
    service_codes = _listed(one(form, "service_code", 1000))
    for code in service_codes:
        if code not in settings.services:
            raise BadInput("unknown_service", "open311_unknown_service", service=code[:60])
    start, end = _window(form, now)
    return RequestQuery(
        start=start,
        end=end,
        language=language,
        codes=tuple(dict.fromkeys(c for c in codes if c)),
        service_codes=tuple(dict.fromkeys(service_codes)),
        is_open=_status(one(form, "status", 100)),
        page=_whole(form, "page", MAX_PAGE, 1),
        page_size=_whole(form, "page_size", MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
    )


def _date(form: Form, name: str) -> datetime | None:
    value = one(form, name, 100)
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise BadInput("bad_date", "open311_bad_date", field=name) from exc


def _window(form: Form, now: datetime) -> tuple[datetime, datetime]:
    start, end = _date(form, "start_date"), _date(form, "end_date")
    try:
        if start is None and end is None:
            return now - SPAN, now
        if end is None:
            assert start is not None
            return start, start + SPAN
        if start is None:
            return end - SPAN, end
    except OverflowError as exc:  # a window reaching before year 1 or after 9999
        raise BadInput(
            "bad_date", "open311_bad_date", field="start_date" if end is None else "end_date"
        ) from exc
    if start > end or end - start > SPAN:
        raise BadInput("bad_range", "open311_bad_range", days=SPAN.days)
    return start, end


def _status(value: str | None) -> bool | None:
    wanted = {s.lower() for s in _listed(value)}
    if not wanted <= {"open", "closed"}:
        raise BadInput("bad_status", "open311_bad_status")
    return None if len(wanted) != 1 else "open" in wanted


def _whole(form: Form, name: str, limit: int, default: int) -> int:
    value = one(form, name, 20)
    if value is None:
        return default
    if not WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= limit:
        raise BadInput("bad_number", "open311_bad_number", field=name, limit=limit)
    return int(value)
