"""CSV export of cases: a header row, UTF-8 for spreadsheets, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from aiohttp import web

from bot.appkeys import SETTINGS
from inbox.views import csv_headers, sessions_of
from storage import case_search
from storage.models import Case, utcnow

COLUMNS = (
    "code", "created_at", "updated_at", "closed_at", "status", "service_code", "service", "department",
    "priority", "channel", "language", "description", "address", "latitude", "longitude", "citizen_id",
)  # fmt: skip
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
BATCH_ROWS = 500


def cell(value: object) -> str:
    """The value as text; text that would start a formula gets a leading apostrophe (shown, never run)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)  # our own numbers: a negative longitude stays a number
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def row_of(case: Case, service_name: str) -> list[str]:
    return [
        cell(case.code),
        case.created_at.isoformat(),
        case.updated_at.isoformat(),
        case.closed_at.isoformat() if case.closed_at else "",
        cell(case.status),
        cell(case.service_code),
        cell(service_name),
        cell(case.department),
        cell(case.priority),
        cell(case.channel),
        cell(case.language),
        cell(case.description),
        cell(case.address),
        cell(case.latitude),
        cell(case.longitude),
        cell(case.citizen_id),
    ]


async def export_cases(request: web.Request, filters: case_search.CaseFilter) -> web.StreamResponse:
    """Stream the matching cases as CSV, a batch at a time."""
    settings = request.config_dict[SETTINGS]
    name = f"casos-{utcnow():%Y-%m-%d}.csv"
    response = web.StreamResponse(headers=csv_headers(name))
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # the byte-order mark makes Excel read UTF-8 (accents, ñ) right
    writer.writerow(COLUMNS)
    rows = 0
    async with sessions_of(request)() as session:
        async for case in case_search.stream_cases(session, filters):
            writer.writerow(row_of(case, settings.service_name(case.service_code, "es")))
            rows += 1
            if rows % BATCH_ROWS == 0:
                await response.write(buffer.getvalue().encode())
                buffer.seek(0)
                buffer.truncate()
    await response.write(buffer.getvalue().encode())
    await response.write_eof()
    return response
