"""The open data files of one day: the cases as CSV, JSON and GeoJSON (the same rows, in the same order),
the aggregate by service, month and area, and the data dictionary, each written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

Row = dict[str, Any]

CASES_CSV, CASES_JSON, CASES_GEOJSON = "casos.csv", "casos.json", "casos.geojson"
AGGREGATE_CSV = "casos_por_servicio_mes_zona.csv"
DICTIONARY_CSV, DICTIONARY_JSON = "diccionario.csv", "diccionario.json"
METADATA_JSON = "metadata.json"
# Every file a day may hold, with its media type: /datos/ serves these names and no others.
MEDIA_TYPES = {
    CASES_CSV: "text/csv",
    CASES_JSON: "application/json",
    CASES_GEOJSON: "application/geo+json",
    AGGREGATE_CSV: "text/csv",
    DICTIONARY_CSV: "text/csv",
    DICTIONARY_JSON: "application/json",
    METADATA_JSON: "application/json",
}

OPEN311 = "Open311 GeoReport v2"
OURS = "Ventanilla"
# (column, type, meaning in Spanish, meaning in English, where it comes from). Open311's names where
# GeoReport v2 has the field; ours beside them where it has none.
COLUMNS: tuple[tuple[str, str, str, str, str], ...] = (
    ("service_request_id", "string", "Código público del caso, el mismo que en /open311/",
     "The case's public code, the same as on /open311/", OPEN311),
    ("status", "string", "open (abierto) o closed (cerrado)", "open or closed", OPEN311),
    ("status_detail", "string",
     "Estado detallado: open, acknowledged, in_progress, reopened, resolved, closed, rejected, duplicate",
     "Detailed status: open, acknowledged, in_progress, reopened, resolved, closed, rejected, duplicate",
     OURS),
    ("service_code", "string", "Código del servicio (el catálogo de /open311/v2/services.json)",
     "The service's code (the catalogue at /open311/v2/services.json)", OPEN311),
    ("service_name", "string", "Nombre del servicio", "The service's name", OPEN311),
    ("agency_responsible", "string", "Dependencia que atiende el caso", "The department handling the case",
     OPEN311),
    ("requested_datetime", "datetime", "Cuándo se presentó (ISO 8601, UTC)",
     "When it was filed (ISO 8601, UTC)",
     OPEN311),
    ("updated_datetime", "datetime", "Último cambio (ISO 8601, UTC)", "Last change (ISO 8601, UTC)", OPEN311),
    ("closed_datetime", "datetime", "Cuándo se cerró; vacío si sigue abierto",
     "When it was closed; empty while open", OURS),
    ("area", "string", "Zona de la ciudad; vacía si no se sabe el lugar",
     "The part of the city; empty when the place is unknown", OURS),
    ("lat", "number", "Latitud del centro de una cuadrícula de unos 100 m; vacía en servicios sensibles",
     "Latitude of the centre of a ~100 m grid cell; empty for sensitive services", OPEN311),
    ("long", "number", "Longitud del centro de la misma cuadrícula; vacía en servicios sensibles",
     "Longitude of the centre of the same cell; empty for sensitive services", OPEN311),
    ("description", "string",
     "Descripción, solo si el ciudadano aceptó publicarla, sin nombres, teléfonos, correos ni direcciones",
     "Description, only if the citizen agreed to publish it, without names, phones, e-mails or addresses",
     OPEN311),
    ("channel", "string",
     "Por dónde llegó: whatsapp, sms, telegram, rest (chat web), open311, phone (llamada), in_person "
     "(presencial)",
     "How it came in: whatsapp, sms, telegram, rest (web chat), open311, phone (a call), in_person (a visit)",
     OURS),
    ("reopened", "integer", "Veces que el ciudadano lo reabrió (no estaba arreglado)",
     "Times the citizen reopened it (it was not fixed)", OURS),
)  # fmt: skip
NAMES = tuple(c[0] for c in COLUMNS)
AGGREGATE_NAMES = ("service_code", "service_name", "month", "area", "cases")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dictionary() -> list[Row]:
    keys = ("column", "type", "description_es", "description_en", "source")
    return [dict(zip(keys, column, strict=True)) for column in COLUMNS]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # shown as text by spreadsheets, and plain to read for everyone else
    return value


def to_csv(names: tuple[str, ...], rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_cell(row.get(name)) for name in names] for row in rows)
    return out.getvalue().encode("utf-8")


def to_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def to_geojson(rows: list[Row]) -> bytes:
    """Every row is a feature (null geometry when the place is not published), so the rows match."""
    features = [
        {
            "type": "Feature",
            "id": row["service_request_id"],
            "geometry": None
            if row["lat"] is None or row["long"] is None
            else {"type": "Point", "coordinates": [row["long"], row["lat"]]},
            "properties": row,
        }
        for row in rows
    ]
    return to_json({"type": "FeatureCollection", "features": features})


def write(path: Path, body: bytes) -> None:
    """Whole or not at all: a reader of /datos/ never gets half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_cases(folder: Path, rows: list[Row]) -> None:
    write(folder / CASES_CSV, to_csv(NAMES, rows))
    write(folder / CASES_JSON, to_json(rows))
    write(folder / CASES_GEOJSON, to_geojson(rows))


def write_day(folder: Path, rows: list[Row], aggregate: list[Row], metadata: Row) -> None:
    write_cases(folder, rows)
    write(folder / AGGREGATE_CSV, to_csv(AGGREGATE_NAMES, aggregate))
    write(
        folder / DICTIONARY_CSV,
        to_csv(("column", "type", "description_es", "description_en", "source"), dictionary()),
    )
    write(folder / DICTIONARY_JSON, to_json(dictionary()))
    write(folder / METADATA_JSON, to_json(metadata))


def read_cases(folder: Path) -> list[Row] | None:
    """A kept day's rows, as written (None when the day has no readable cases file)."""
    try:
        rows = json.loads((folder / CASES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rows if isinstance(rows, list) else None
