"""The open data export: today's files from the cases filed up to now, older days kept `keep_days`, and
no kept day publishing words the city may no longer publish.

A case's row is what Open311 shows anyone (connectors/open311/privacy.py): the same snapped point, the
area, the description only with consent and masked. Erasure blanks a case's description; each export
then rewrites every kept day's descriptions from the current data, and the daily job's hourly wake
takes withdrawn words out at once (bot/opendata_job.py)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import opendata_files as files
from bot.opendata_files import Row
from bot.settings import Settings
from connectors.open311 import privacy
from storage import opendata as rows_of
from storage.citizens import private_terms
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import OPEN_STATUSES, Case

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Exported:
    day: str
    cases: int
    removed: tuple[str, ...]  # days older than keep_days
    rewritten: tuple[str, ...]  # kept days whose descriptions changed


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value is not None else None


def description(case: Case, settings: Settings, terms: Iterable[str]) -> str | None:
    """What may be published of the citizen's words: masked, with consent, and never an erased case's."""
    if not case.description or not privacy.description_is_public(case, settings):
        return None
    return privacy.mask(case.description, terms, settings.city.phone_region) or None


def row(case: Case, settings: Settings, terms: Iterable[str]) -> Row:
    language = settings.city.default_language
    department = settings.departments.get(case.department)
    latitude, longitude = privacy.public_point(case, settings)
    return {
        "service_request_id": case.code,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_detail": case.status,
        "service_code": case.service_code,
        "service_name": settings.service_name(case.service_code, language),
        "agency_responsible": department.name.get(language) if department else case.department,
        "requested_datetime": _moment(case.created_at),
        "updated_datetime": _moment(case.updated_at),
        "closed_datetime": _moment(case.closed_at),
        "area": privacy.area_name(case, settings, language),
        "lat": latitude,
        "long": longitude,
        "description": description(case, settings, terms),
        "channel": case.channel,
        "reopened": case.reopened_count,
    }


async def public_rows(session: AsyncSession, settings: Settings, cases: Sequence[Case]) -> list[Row]:
    terms = await private_terms(session, sorted({c.citizen_id for c in cases if c.citizen_id is not None}))
    return [row(case, settings, terms.get(case.citizen_id or 0, ())) for case in cases]


def aggregate(cases: Sequence[Case], settings: Settings) -> list[Row]:
    """Cases by service, month (city time) and area; a count under `min_cell` is shown as "<5"."""
    language, smallest = settings.city.default_language, settings.participation.min_cell
    counted = Counter(
        (
            case.service_code,
            case.created_at.astimezone(settings.city.zone).strftime("%Y-%m"),
            privacy.area_name(case, settings, language) or "",
        )
        for case in cases
    )
    return [
        {
            "service_code": service,
            "service_name": settings.service_name(service, language),
            "month": month,
            "area": area,
            "cases": str(n) if n >= smallest else f"<{smallest}",
        }
        for (service, month, area), n in sorted(counted.items(), key=lambda item: (item[0][1], *item[0]))
    ]


def root(settings: Settings) -> Path:
    return Path(settings.opendata.dir)


def days(folder: Path) -> list[str]:
    """The days written, newest first: real folders named YYYY-MM-DD, never a link to elsewhere."""
    if not folder.is_dir():
        return []
    found = [p.name for p in folder.iterdir() if DAY.match(p.name) and p.is_dir() and not p.is_symlink()]
    return sorted(found, reverse=True)


def remove_old(folder: Path, today: date, keep_days: int) -> tuple[str, ...]:
    oldest = (today - timedelta(days=keep_days - 1)).isoformat()
    removed = tuple(day for day in days(folder) if day < oldest)
    for day in removed:
        shutil.rmtree(folder / day)
    return removed


def take_back(folder: Path, day: str, current: dict[str, str | None], complete: bool) -> bool:
    """Rewrite a kept day so its descriptions are no more than `current` publishes (None: nothing). With
    `complete`, a case missing from `current` is one the city no longer has: its words go too."""
    kept = files.read_cases(folder / day)
    if kept is None:
        return False
    changed = False
    for found in kept:
        if not found.get("description"):
            continue
        code = str(found.get("service_request_id"))
        now = current.get(code) if complete or code in current else found["description"]
        if now != found["description"]:
            found["description"], changed = now, True
    if changed:
        files.write_cases(folder / day, kept)
    return changed


def metadata(settings: Settings, day: str, now: datetime, count: int) -> Row:
    publisher = settings.opendata.publisher or settings.city.name
    licence = settings.opendata.licence
    return {
        "title": {"es": "Casos reportados por la ciudadanía", "en": "Cases reported by citizens"},
        "publisher": {"es": publisher.get("es"), "en": publisher.get("en")},
        "day": day,
        "generated_at": _moment(now),
        "time_zone": settings.city.time_zone,
        "cases": count,
        "licence": {"id": licence.id, "title": licence.title, "url": licence.url},
        "conforms_to": "http://wiki.open311.org/GeoReport_v2",
        "files": [{"name": name, "media_type": kind} for name, kind in files.MEDIA_TYPES.items()],
    }


async def export(sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime) -> Exported:
    """Write today's (city time) files from every case filed up to `now`; drop days past `keep_days`;
    take back from the kept days any description the current data no longer publishes."""
    async with sessions() as session, session.begin():
        cases = await rows_of.cases_until(session, now)
        rows = await public_rows(session, settings, cases)
    folder = root(settings)
    today = now.astimezone(settings.city.zone).date()
    day = today.isoformat()
    files.write_day(folder / day, rows, aggregate(cases, settings), metadata(settings, day, now, len(rows)))
    removed = remove_old(folder, today, settings.opendata.keep_days)
    current = {r["service_request_id"]: r["description"] for r in rows}
    rewritten = tuple(d for d in days(folder) if d != day and take_back(folder, d, current, complete=True))
    return Exported(day, len(rows), removed, rewritten)


async def take_back_withdrawn(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> tuple[str, ...]:
    """The hourly check: every description the newest day publishes is compared with what the current data
    would publish (an erasure blanks it; the citizen's "no lo publiquen" or staff's "no" withdraw it, and
    none of those need move the case); withdrawn words leave every kept day now, not at the next export.
    The newest day holds every published code: older days' withdrawn words left at the export that wrote
    it."""
    folder = root(settings)
    kept = days(folder)
    newest = files.read_cases(folder / kept[0]) if kept else None
    codes = sorted({str(r["service_request_id"]) for r in newest or () if r.get("description")})
    if not codes:
        return ()
    async with sessions() as session, session.begin():
        cases = await rows_of.cases_by_code(session, codes)
        current = {
            r["service_request_id"]: r["description"] for r in await public_rows(session, settings, cases)
        }
    current |= {code: None for code in codes if code not in current}  # a case the city no longer has
    return tuple(day for day in kept if take_back(folder, day, current, complete=False))
