"""The catalogue of /datos/ for portals to harvest: DCAT in JSON-LD (`catalog.jsonld`, what ckanext-dcat's
RDF harvester reads) and Project Open Data's DCAT-US 1.1 (`data.json`, what ckanext-datajson reads).

Two datasets: the cases (CSV, JSON, GeoJSON and the data dictionary) and the aggregate by service, month
and area. Their files are the newest day's, under the stable /datos/latest/ addresses, so a portal's
links never break when old days are removed. Vocabularies: https://www.w3.org/TR/vocab-dcat-2/ and
https://resources.data.gov/resources/dcat-us/ (v1.1, https://project-open-data.cio.gov/v1.1/schema)."""

from __future__ import annotations

import hashlib
from typing import Any

from bot import opendata_files as files
from bot.settings import Settings

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
OPEN311 = "http://wiki.open311.org/GeoReport_v2"
DAILY_ISO = "R/P1D"  # DCAT-US accrualPeriodicity
DAILY_URI = "http://purl.org/cld/freq/daily"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FORMATS = {".csv": "CSV", ".json": "JSON", ".geojson": "GeoJSON"}
# (identifier, files, title es/en, description es/en)
DATASETS: tuple[tuple[str, tuple[str, ...], dict[str, str], dict[str, str]], ...] = (
    (
        "casos",
        (files.CASES_CSV, files.CASES_JSON, files.CASES_GEOJSON, files.DICTIONARY_CSV, files.DICTIONARY_JSON),
        {"es": "Casos reportados por la ciudadanía", "en": "Cases reported by citizens"},
        {
            "es": "Cada caso (bache, alumbrado, basura…) con su servicio, dependencia, fechas, estado, zona "
            "y un punto aproximado (~100 m). Sin datos personales. Columnas de Open311 GeoReport v2.",
            "en": "Every case (pothole, streetlight, rubbish…) with its service, department, dates, status, "
            "area and an approximate point (~100 m). No personal data. Open311 GeoReport v2 columns.",
        },
    ),
    (
        "casos_por_servicio_mes_zona",
        (files.AGGREGATE_CSV,),
        {"es": "Casos por servicio, mes y zona", "en": "Cases by service, month and area"},
        {
            "es": "Número de casos por servicio, mes y zona; las cifras menores de 5 se muestran como <5.",
            "en": "Number of cases by service, month and area; counts under 5 are shown as <5.",
        },
    ),
)


def base(settings: Settings) -> str:
    return settings.server.public_url.rstrip("/") + "/datos/"


def _title(name: str, language: str) -> str:
    words = {
        files.CASES_CSV: ("Casos (CSV)", "Cases (CSV)"),
        files.CASES_JSON: ("Casos (JSON)", "Cases (JSON)"),
        files.CASES_GEOJSON: ("Casos (GeoJSON)", "Cases (GeoJSON)"),
        files.DICTIONARY_CSV: ("Diccionario de datos (CSV)", "Data dictionary (CSV)"),
        files.DICTIONARY_JSON: ("Diccionario de datos (JSON)", "Data dictionary (JSON)"),
        files.AGGREGATE_CSV: (
            "Casos por servicio, mes y zona (CSV)",
            "Cases by service, month and area (CSV)",
        ),
    }[name]
    return words[0] if language == "es" else words[1]


def _format(name: str) -> str:
    return FORMATS["." + name.rsplit(".", 1)[1]]


def _texts(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": value, "@language": language} for language, value in values.items()]


def catalog_jsonld(settings: Settings, modified: str | None, sizes: dict[str, int]) -> dict[str, Any]:
    """DCAT: a dcat:Catalog whose dcat:dataset each have dct:title, description, publisher, license,
    modified and a dcat:Distribution per file (dcat:downloadURL, dcat:mediaType, dct:format)."""
    root, licence = base(settings), {"@id": settings.opendata.licence.url}
    name = settings.opendata.publisher or settings.city.name
    publisher = {
        "@id": root + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _texts({"es": name.get("es"), "en": name.get("en")}),
    }
    when = {"@value": modified, "@type": "xsd:dateTime"} if modified else None
    datasets = []
    for identifier, names, title, description in DATASETS:
        distributions = [
            {
                "@id": root + "latest/" + file,
                "@type": "dcat:Distribution",
                "dct:title": _texts({"es": _title(file, "es"), "en": _title(file, "en")}),
                "dcat:downloadURL": {"@id": root + "latest/" + file},
                "dcat:accessURL": {"@id": root + "latest/" + file},
                "dcat:mediaType": files.MEDIA_TYPES[file],
                "dct:format": _format(file),
                "dct:license": licence,
                "dcat:byteSize": {"@value": str(sizes[file]), "@type": "xsd:decimal"},
            }
            for file in names
            if file in sizes
        ]
        dataset: dict[str, Any] = {
            "@id": root + "#" + identifier,
            "@type": "dcat:Dataset",
            "dct:identifier": identifier,
            "dct:title": _texts(title),
            "dct:description": _texts(description),
            "dct:publisher": publisher,
            "dct:license": licence,
            "dct:language": [
                {"@id": "http://id.loc.gov/vocabulary/iso639-1/" + lang} for lang in ("es", "en")
            ],
            "dct:accrualPeriodicity": {"@id": DAILY_URI},
            "dct:conformsTo": {"@id": OPEN311},
            "dcat:keyword": ["open311", "servicios", "casos", "ciudad"],
            "dcat:landingPage": {"@id": root},
            "dcat:distribution": distributions,
        }
        if when:
            dataset["dct:modified"] = when
        if settings.opendata.contact_email:
            dataset["dcat:contactPoint"] = {
                "@type": "vcard:Organization",
                "vcard:fn": name.get(settings.city.default_language),
                "vcard:hasEmail": {"@id": "mailto:" + settings.opendata.contact_email},
            }
        datasets.append(dataset)
    catalog: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": root + "catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            {"es": "Datos abiertos de " + name.get("es"), "en": name.get("en") + " open data"}
        ),
        "dct:description": _texts(
            {
                "es": "Los casos que la ciudadanía reporta, cada día.",
                "en": "The cases citizens report, every day.",
            }
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "foaf:homepage": {"@id": root},
        "dcat:dataset": datasets,
    }
    if when:
        catalog["dct:modified"] = when
    return catalog


def data_json(settings: Settings, modified: str | None, sizes: dict[str, int]) -> dict[str, Any]:
    """DCAT-US 1.1: conformsTo, describedBy and a dataset list, each dataset with its required title,
    description, keyword, modified, publisher, contactPoint, identifier, accessLevel and distribution."""
    root, language = base(settings), settings.city.default_language
    name = (settings.opendata.publisher or settings.city.name).get(language)
    contact: dict[str, str] = {"@type": "vcard:Contact", "fn": name}
    if settings.opendata.contact_email:
        contact["hasEmail"] = "mailto:" + settings.opendata.contact_email
    datasets = []
    for identifier, names, title, description in DATASETS:
        dataset = {
            "@type": "dcat:Dataset",
            "identifier": root + "#" + identifier,
            "title": title[language],
            "description": description[language],
            "keyword": ["open311", "servicios", "casos", "ciudad"],
            "modified": modified,
            "publisher": {"@type": "org:Organization", "name": name},
            "contactPoint": contact,
            "accessLevel": "public",
            "license": settings.opendata.licence.url,
            "accrualPeriodicity": DAILY_ISO,
            "language": ["es-419", "en"] if language == "es" else ["en", "es-419"],
            "landingPage": root,
            "conformsTo": OPEN311,
            "describedBy": root + "latest/" + files.DICTIONARY_JSON,
            "describedByType": "application/json",
            "distribution": [
                {
                    "@type": "dcat:Distribution",
                    "title": _title(file, language),
                    "downloadURL": root + "latest/" + file,
                    "mediaType": files.MEDIA_TYPES[file],
                    "format": _format(file),
                }
                for file in names
                if file in sizes
            ],
        }
        datasets.append({k: v for k, v in dataset.items() if v is not None})
    return {
        "@context": POD_SCHEMA + "/catalog.jsonld",
        "@id": root + "data.json",
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_SCHEMA + "/catalog.json",
        "dataset": datasets,
    }


def digest(body: bytes) -> str:
    """An ETag for a document made on request: the same bytes, the same tag."""
    return hashlib.sha256(body).hexdigest()[:32]
