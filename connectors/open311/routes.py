"""Open311 GeoReport v2 under /open311/v2/: a sub-application whose every refusal is a spec error list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiohttp import web

from bot.appkeys import SESSIONS, SETTINGS
from bot.settings import Settings
from connectors.base import HandOff
from connectors.errors import BadInput, NotFound
from connectors.http import Refusals, read_body, refusals
from connectors.open311 import documents
from connectors.open311.filing import file_request
from connectors.open311.keys import reads_private, verify_key
from connectors.open311.openapi import openapi_document
from connectors.open311.parser import decode_form, language_of, one, parse_new_request
from connectors.open311.query import case_code, parse_query
from connectors.open311.render import FORMATS, error_response, respond
from storage import case_search
from storage import cases as case_rows
from storage import citizens as citizen_rows
from storage.models import Case, utcnow

PREFIX = "/open311/v2"
# Discovery's changeset: the catalog and the service definitions only change with a restart.
STARTED = utcnow()
FORM_TYPES = frozenset({"application/x-www-form-urlencoded"})


def _format(request: web.Request) -> str:
    fmt = request.match_info.get("format", "")
    if fmt not in FORMATS:
        raise BadInput("bad_format", "open311_bad_format", format=fmt[:20])
    return fmt


def _language(request: web.Request) -> str:
    """For error texts: must not fail itself, so it reads the raw values without validating them."""
    settings = request.config_dict[SETTINGS]
    locale = request.query.get("locale", "")[:20]
    return language_of(locale, request.headers.get("Accept-Language"), settings.city.default_language)


def _asked_language(request: web.Request) -> str:
    """The `locale` asked for (validated: given twice or too long is a 400), else as `_language`."""
    locale = one(decode_form(request.rel_url.raw_query_string), "locale")
    settings = request.config_dict[SETTINGS]
    return language_of(locale, request.headers.get("Accept-Language"), settings.city.default_language)


def _spec_error(request: web.Request, status: int, code: str, message: str) -> web.StreamResponse:
    """A refusal in the specification's error list, in the format the path asked for."""
    fmt = request.match_info.get("format", "")
    if fmt not in FORMATS:
        fmt = "xml" if request.path.endswith(".xml") else "json"
    return error_response(fmt, status, message)


# Named errors, unknown paths and wrong methods all answer in the specification's error format.
SPEC_REFUSALS = Refusals(
    language=_language, answer=_spec_error, not_found_key="open311_not_found", method_key="open311_method"
)


async def discovery(request: web.Request) -> web.Response:
    fmt, settings = _format(request), request.config_dict[SETTINGS]
    return respond(fmt, "discovery", documents.discovery(settings, _asked_language(request), STARTED))


async def services(request: web.Request) -> web.Response:
    fmt, settings = _format(request), request.config_dict[SETTINGS]
    return respond(fmt, "services", documents.services(settings, _asked_language(request)))


async def service_definition(request: web.Request) -> web.Response:
    fmt, settings = _format(request), request.config_dict[SETTINGS]
    code = request.match_info["service_code"]
    if code not in settings.services:
        raise NotFound("unknown_service", "open311_unknown_service", service=code[:60])
    language = _asked_language(request)
    return respond(fmt, "service_definition", documents.definition(settings, code, language))


async def post_request(request: web.Request) -> web.Response:
    """Authenticate (403), validate (400), then file the case and answer its code."""
    fmt, settings, sessions = _format(request), request.config_dict[SETTINGS], request.config_dict[SESSIONS]
    if "Content-Type" in request.headers and request.content_type not in FORM_TYPES:
        raise BadInput("bad_form", "open311_bad_form")
    body = await read_body(request, settings.server.max_body_bytes)
    form = decode_form(request.rel_url.raw_query_string, body)
    async with sessions() as session:
        key = await verify_key(session, one(form, "api_key"))
    new = parse_new_request(form, settings, request.headers.get("Accept-Language"))
    async with sessions() as session, session.begin():
        case = await file_request(session, settings, new, key)
    return respond(fmt, "service_requests", documents.filed(case, settings, new.language))


def _documents(
    cases: Sequence[Case], settings: Settings, language: str, private: bool, terms: dict[int, tuple[str, ...]]
) -> list[dict[str, Any]]:
    if private:
        return [documents.private_request(case, settings, language) for case in cases]
    return [
        documents.public_request(case, settings, language, terms=terms.get(case.citizen_id or 0, ()))
        for case in cases
    ]


def _answer(fmt: str, found: list[dict[str, Any]], private: bool) -> web.Response:
    response = respond(fmt, "service_requests", found)
    if private:
        # The citizen's own words and place: no shared cache may keep them.
        response.headers["Cache-Control"] = "no-store"
    return response


async def get_requests(request: web.Request) -> web.Response:
    """The public sees every case without the citizen in it; a key with the private scope sees all."""
    fmt, settings, sessions = _format(request), request.config_dict[SETTINGS], request.config_dict[SESSIONS]
    form = decode_form(request.rel_url.raw_query_string)
    query = parse_query(form, settings, utcnow(), request.headers.get("Accept-Language"))
    async with sessions() as session:
        private = await reads_private(session, one(form, "api_key"))
        if query.codes:
            cases = await case_rows.cases_by_codes(session, query.codes)
        else:
            cases = await case_search.find_cases(
                session,
                start=query.start,
                end=query.end,
                service_codes=query.service_codes,
                is_open=query.is_open,
                limit=query.page_size,
                offset=query.offset,
            )
        terms = {} if private else await citizen_rows.private_terms(session, _citizens(cases))
    return _answer(fmt, _documents(cases, settings, query.language, private, terms), private)


async def get_request(request: web.Request) -> web.Response:
    fmt, settings, sessions = _format(request), request.config_dict[SETTINGS], request.config_dict[SESSIONS]
    raw = request.match_info["service_request_id"]
    code = case_code(raw)
    language = _asked_language(request)
    async with sessions() as session:
        private = await reads_private(session, one(decode_form(request.rel_url.raw_query_string), "api_key"))
        case = await case_rows.case_by_code(session, code) if code else None
        if case is None:
            raise NotFound("request_not_found", "open311_request_not_found", id=raw[:40])
        terms = {} if private else await citizen_rows.private_terms(session, _citizens([case]))
    return _answer(fmt, _documents([case], settings, language, private, terms), private)


def _citizens(cases: Sequence[Case]) -> list[int]:
    return sorted({case.citizen_id for case in cases if case.citizen_id})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document(request.config_dict[SETTINGS]))


def add_routes(app: web.Application, hand_off: HandOff) -> None:
    """Mount the GeoReport v2 sub-application; it needs no credentials, so it is always on. Requests
    are filed as cases, not chat messages, so `hand_off` is not used."""
    open311 = web.Application(middlewares=[refusals(SPEC_REFUSALS)])
    router = open311.router
    router.add_get("/discovery.{format}", discovery)
    router.add_get("/services.{format}", services)
    router.add_get("/services/{service_code}.{format}", service_definition)
    router.add_get("/requests.{format}", get_requests)
    router.add_post("/requests.{format}", post_request)
    router.add_get("/requests/{service_request_id}.{format}", get_request)
    router.add_get("/openapi.json", openapi)
    app.add_subapp(PREFIX, open311)
