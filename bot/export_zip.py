"""A citizen's export as a zip: data in, bytes out. `datos.json` with everything, one CSV per kind (UTF-8
with a byte-order mark, so Excel reads accents and ñ), the photos under `fotos/`, and LEEME.txt/README.txt.

Names of files and columns are Spanish, the city's language; README.txt gives them in English. Times are
the city's, ISO 8601 with their offset. Nothing here reads the database or the media store."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot import export_readme
from bot.cases import came_via
from bot.export_link import mask
from bot.settings import Settings
from bot.texts import status_name
from storage.citizen_data import CitizenData
from storage.media import name_of
from storage.models import Author, Case, Direction, Message

PHOTOS_CAP_BYTES = 50 * 1024 * 1024  # a zip a phone can download; the rest is said, not sent
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # a cell starting so is a formula to a spreadsheet
# A call or a visit staff wrote down (issue 18) is named as the citizen would say it.
CHANNELS = {"rest": "web", "phone": "llamada", "in_person": "presencial"}
TOPIC_STATUS = {"active": "si", "paused": "en_pausa", "left": "no"}
# What the knowledge base made of a question (storage.models.KnowledgeOutcome), in the export's words.
ASK_OUTCOMES = {"answered": "respondida", "choice": "opciones", "miss": "sin_respuesta"}
AUTHORS = {"citizen": "tu", "bot": "bot", "staff": "personal", "system": "sistema"}
PREFERENTIAL_ACTIONS = {"granted": "otorgada", "withdrawn": "retirada"}
# The kinds of preferential attention (storage/preferential.py KINDS), in the export's words.
PREFERENTIAL_KINDS = {
    "elderly": "persona_mayor", "disability": "discapacidad", "pregnancy": "embarazo",
    "child": "nino_pequeno", "illness": "enfermedad_en_casa", "reading": "dificultad_para_leer",
    "other": "otra",
}  # fmt: skip
Row = dict[str, Any]


@dataclass
class Photos:
    """The photos read from the media store for the zip, and those left out (and why)."""

    files: dict[str, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # not in the store any more
    too_big: list[str] = field(default_factory=list)  # past PHOTOS_CAP_BYTES

    def add(self, name: str, data: bytes | None) -> None:
        if data is None:
            self.missing.append(name)
        elif sum(map(len, self.files.values())) + len(data) > PHOTOS_CAP_BYTES:
            self.too_big.append(name)
        else:
            self.files[name] = data


def _names(attachments: list[dict[str, str]] | None) -> list[str]:
    return [found for a in attachments or () if (found := name_of(str(a.get("url", "")))) is not None]


def photo_names(data: CitizenData) -> list[str]:
    """The media-store names of what the citizen sent (in their messages and on their reports), and of the
    spoken answers the bot sent them (bot/voice_reply.py): their words read back, theirs to take too."""
    names: dict[str, None] = {}
    for message in data.messages:
        if message.direction == Direction.IN or message.author == Author.BOT:
            names.update(dict.fromkeys(_names(message.attachments)))
    for case in data.cases:
        names.update(dict.fromkeys(_names(case.attachments)))
    return list(names)


class _Values:
    """Turns rows into what the citizen reads: local times, names in their language, links masked."""

    def __init__(self, settings: Settings, language: str) -> None:
        self.settings, self.language = settings, language

    def when(self, value: datetime | date | None) -> str | None:
        if isinstance(value, datetime):
            return value.astimezone(self.settings.city.zone).isoformat(timespec="seconds")
        return value.isoformat() if value is not None else None

    def service(self, code: str) -> str:
        return self.settings.service_name(code, self.language)

    def status(self, code: str | None) -> str | None:
        return status_name(code, self.language) if code else None


def _told(note: str | None, actor: str, sent: Sequence[str]) -> str | None:
    """A note of the case's history the citizen may read: their own words, or staff's note when it was
    part of what they were told (a note staff kept for themselves is the city's)."""
    if not note or actor == "bot" or came_via(note) is not None:
        return None
    if actor == "citizen" or any(note in body for body in sent):
        return note
    return None


def tables(data: CitizenData, settings: Settings) -> dict[str, list[Row]]:
    """Each CSV's rows by file name (without .csv); `datos.json` holds the same and the citizen."""
    v = _Values(settings, data.citizen.language or "es")
    sent = [m.text for m in data.messages if m.direction == Direction.OUT]
    return {
        "identidades": [
            {"canal": CHANNELS.get(i.channel, i.channel), "direccion": i.address, "nombre": i.display_name,
             "no_recibir_avisos": i.opted_out, "creada": v.when(i.created_at),
             "ultimo_mensaje": v.when(i.last_inbound_at)}
            for i in data.identities
        ],
        "mensajes": [_message(m, v) for m in data.messages],
        "casos": [_case(c, v) for c in data.cases],
        "historial_casos": [
            {"caso": code, "fecha": v.when(e.created_at), "quien": AUTHORS.get(e.actor, e.actor),
             "de": v.status(e.from_value), "a": v.status(e.to_value), "nota": _told(e.note, e.actor, sent)}
            for e, code in data.history
        ],
        "casos_apoyados": [
            {"caso": j.code, "servicio": v.service(j.service_code), "estado": v.status(j.status),
             "canal": CHANNELS.get(j.channel, j.channel), "sumado": v.when(j.joined_at),
             "distancia_m": round(j.distance_m) if j.distance_m is not None else None}
            for j in data.joined
        ],
        "seguimientos_calificaciones": [
            *({"tipo": f"seguimiento_{f.kind}", "caso": code, "preguntado": v.when(f.sent_at),
               "respondido": v.when(f.answered_at), "respuesta": f.answer, "calificacion": f.rating,
               "comentario": f.comment, "motivo": f.reason}
              for f, code in data.followups),
            *({"tipo": "atencion", "caso": None, "preguntado": v.when(r.asked_at),
               "respondido": v.when(r.answered_at), "respuesta": None, "calificacion": r.rating,
               "comentario": None, "motivo": None}
              for r in data.ratings),
        ],
        "avisos_privacidad": [
            {"version": n.version, "canal": CHANNELS.get(n.channel, n.channel),
             "mostrado": v.when(n.shown_at)}
            for n in data.notices
        ],
        "solicitudes_datos": [
            {"tipo": r.kind, "estado": r.status, "canal": CHANNELS.get(r.channel, r.channel),
             "pedida": v.when(r.requested_at), "vence": v.when(r.due_on), "atendida": v.when(r.done_at),
             "tus_palabras": r.detail, "respuesta": r.note}
            for r in data.requests
        ],
        "consentimientos": [
            *({"consentimiento": "avisos_de_la_ciudad", "sobre": f"{CHANNELS.get(i.channel, i.channel)} "
               f"{i.address}", "valor": "no" if i.opted_out else "si", "fecha": v.when(i.created_at)}
              for i in data.identities),
            *({"consentimiento": "publicar_descripcion", "sobre": c.code,
               "valor": {True: "si", False: "no", None: "sin_respuesta"}[c.publish_consent],
               "fecha": v.when(c.created_at)}
              for c in data.cases),
            *({"consentimiento": f"tema_{s.topic}", "sobre": s.area or "toda_la_ciudad",
               "valor": TOPIC_STATUS.get(s.status, s.status), "fecha": v.when(s.changed_at)}
              for s in data.subscriptions),
        ],
        "preguntas": [
            {"fecha": v.when(q.created_at), "canal": CHANNELS.get(q.channel, q.channel), "idioma": q.language,
             "pregunta": q.question, "resultado": ASK_OUTCOMES.get(q.outcome, q.outcome), "tema": q.topic,
             "te_sirvio": q.useful}
            for q in data.questions
        ],
        # Issue 19: each grant and withdrawal, with the words it was given for; staff stay unnamed.
        "atencion_preferencial": [
            {"fecha": v.when(r.created_at), "accion": PREFERENTIAL_ACTIONS.get(r.action, r.action),
             "tipo": PREFERENTIAL_KINDS.get(r.kind or "", r.kind), "palabras": r.words,
             "quien": "personal" if r.channel == "inbox" else "tu",
             "canal": None if r.channel == "inbox" else CHANNELS.get(r.channel, r.channel)}
            for r in data.preferential
        ],
        # datos.json only: each topic with the words the citizen said yes to, and when.
        "temas": [
            {"tema": s.topic, "zona": s.area or "toda_la_ciudad",
             "estado": TOPIC_STATUS.get(s.status, s.status), "canal": CHANNELS.get(s.channel, s.channel),
             "texto_mostrado": s.shown, "aceptado": v.when(s.created_at), "cambiado": v.when(s.changed_at)}
            for s in data.subscriptions
        ],
    }  # fmt: skip


def _message(m: Message, v: _Values) -> Row:
    return {
        "fecha": v.when(m.created_at),
        "sentido": "recibido" if m.direction == Direction.IN else "enviado",
        "autor": AUTHORS.get(m.author, m.author),
        "canal": CHANNELS.get(m.channel, m.channel),
        "direccion": m.address,
        "texto": mask(m.text),
        "adjuntos": " ".join(_names(m.attachments)) or None,
        "latitud": m.latitude,
        "longitud": m.longitude,
        "entrega": m.delivery_status,
    }


def _case(c: Case, v: _Values) -> Row:
    return {
        "codigo": c.code,
        "servicio": v.service(c.service_code),
        "descripcion": c.description,
        "direccion": c.address,
        "latitud": c.latitude,
        "longitud": c.longitude,
        "estado": v.status(c.status),
        "canal": CHANNELS.get(c.channel, c.channel),
        "creado": v.when(c.created_at),
        "actualizado": v.when(c.updated_at),
        "cerrado": v.when(c.closed_at),
        "autoriza_publicar": c.publish_consent,
        "fotos": " ".join(_names(c.attachments)) or None,
        "respuestas_extra": json.dumps(c.attributes, ensure_ascii=False) if c.attributes else None,
    }


def citizen_row(data: CitizenData, settings: Settings) -> Row:
    c, v = data.citizen, _Values(settings, data.citizen.language or "es")
    return {
        "id": c.id, "nombre": c.display_name, "idioma": c.language, "telefono": c.phone_e164,
        "correo": c.email, "creado": v.when(c.created_at), "atencion_preferencial": c.preferential,
        "motivo_preferencial": c.preferential_reason, "borrado_retenido_motivo": c.erasure_hold,
    }  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "si" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def as_csv(rows: Iterable[Row], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte-order mark: Excel then reads UTF-8 (accents, ñ) right
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def build(data: CitizenData, photos: Photos, settings: Settings, now: datetime) -> bytes:
    """The zip, in memory (photos are capped, so it stays a download a phone can take)."""
    rows = tables(data, settings)
    everything = {
        "generado": now.astimezone(settings.city.zone).isoformat(timespec="seconds"),
        "ciudad": settings.city.name.get(data.citizen.language or "es"),
        "ciudadano": citizen_row(data, settings),
        **rows,
        "fotos": {
            "incluidas": [f"fotos/{name}" for name in photos.files],
            "no_encontradas": photos.missing,
            "omitidas_por_tamano": photos.too_big,
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datos.json", json.dumps(everything, ensure_ascii=False, indent=2, default=str))
        for name, columns in export_readme.COLUMNS.items():
            archive.writestr(f"{name}.csv", as_csv(rows[name], columns))
        for name, body in photos.files.items():
            archive.writestr(f"fotos/{name}", body, compress_type=zipfile.ZIP_STORED)  # already compressed
        archive.writestr("LEEME.txt", export_readme.readme("es", photos.missing, photos.too_big))
        archive.writestr("README.txt", export_readme.readme("en", photos.missing, photos.too_big))
    return buffer.getvalue()
