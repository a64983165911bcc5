"""A small town for the open data tests: citizens with known names, phones, e-mails and addresses, what
they wrote in the chat, and their cases (consented, unconsented, sensitive, and one that looks like a
spreadsheet formula), so a test can look for every one of those strings in what /datos/ publishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import opendata
from bot.cases import NewCase, file_case
from bot.settings import Settings
from bot.settings_loading import load_settings
from storage.models import Case, ChannelIdentity, Citizen, Message

Sessions = async_sessionmaker[AsyncSession]
Client = TestClient[web.Request, web.Application]
CENTRO = (4.609712, -74.081693)  # in the example config's "Centro"


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    email: str
    address: str
    said: str  # a chat message of theirs, never published
    service: str
    description: str
    consent: bool | None
    pin: tuple[float, float]


PEOPLE = (
    Person("Ana Gómez Restrepo", "+573005551234", "ana.gomez@correo.co", "Calle 45 # 12-30 apto 501",
           "hola, me llamo Ana Gómez y vivo sola en el 501", "pothole",
           "Soy Ana Gómez Restrepo, hay un hueco enorme frente al colegio, llámenme al 300 555 1234",
           True, CENTRO),
    Person("Bruno Díaz Pereyra", "+5491155550000", "bruno.diaz@ejemplo.com.ar", "Av. Corrientes 1234 piso 3",
           "che, el poste de mi cuadra esta apagado hace re tiempo", "streetlight",
           "el poste de la esquina lleva tres semanas apagado y los pibes no pueden jugar", None,
           (4.610137, -74.082241)),
    Person("Carmen Ruiz Ortega", "+525512345678", "carmen.ruiz@correo.mx", "Colonia Roma, Orizaba 88 int 4",
           "oiga, el vecino no deja dormir con su música", "noise",
           "el vecino del 4B pone la música a todo volumen cada madrugada", True, (4.610263, -74.082377)),
    Person("Diego Fernández Soto", "+56912345678", "diego.fs@correo.cl", "Pasaje Los Aromos 77",
           "wena, hay basura tirada en la plaza hace días", "garbage",
           "=1+1 basura acumulada en la plaza hace días", True, (4.700149, -74.050163)),
    Person("Elena Quispe Mamani", "+51987654321", "elena.q@correo.pe", "Jr. Puno 456 dpto 2",
           "buenas, hay un hueco grandazo en mi jiron", "pothole",
           "hay un hueco grandazo al lado de la bodega de la esquina", None, (4.609847, -74.081829)),
    Person("Fernando Torres Vega", "+34612345678", "fer.torres@correo.es", "Calle Mayor 12 3º izq",
           "hola, os escribo por un bache en la calzada", "pothole",
           "un bache tremendo en la calzada, casi me caigo con la bici", None, (4.609653, -74.081537)),
    Person("Grace Miller", "+14155550123", "grace.miller@example.org", "742 Evergreen Terrace",
           "hi, there's a huge pothole near my house", "pothole",
           "huge pothole outside number 742, my kid tripped on it", None, (4.609571, -74.081913)),
    Person("Hugo Castaño Ríos", "+573115559876", "hugo.castano@correo.co", "Carrera 7 # 22-15",
           "buenas noches, otro hueco en la carrera", "pothole",
           "otro hueco en la carrera, ya se han caído dos motos", None, (4.609929, -74.081471)),
    Person("Inés Rojas Luna", "+573205554321", "ines.rojas@correo.co", "Diagonal 3 # 4-5 casa 9",
           "hola buenas, el hueco de siempre sigue ahi", "pothole",
           "el hueco de siempre sigue ahí, nadie lo arregla", None, (4.609733, -74.081727)),
)  # fmt: skip


def private_strings() -> list[str]:
    """Everything of a citizen that must never be on /datos/ (consented words are masked, not listed)."""
    found: list[str] = []
    for p in PEOPLE:
        found += [p.name, p.phone, p.phone.lstrip("+"), p.email, p.address, p.said]
        found += [p.name.rsplit(" ", 1)[0], p.email.split("@")[0]]
        if not p.consent or p.service == "noise":
            found.append(p.description)
    return [*found, "300 555 1234", "Ana Gómez", "vivo sola", "Corrientes", "Evergreen", "del 4B"]


def settings_for(database_url: str, tmp_path: Path, **more: Any) -> Settings:
    return load_settings(
        None,
        None,
        **{
            "database.url": database_url,
            "media.dir": str(tmp_path / "media"),
            "nlu.model_dir": str(tmp_path),
            "opendata.dir": str(tmp_path / "datos"),
            "server.public_url": "https://ventanilla.ciudad.example",
            **more,
        },
    )


async def person_case(session: AsyncSession, settings: Settings, p: Person, when: datetime | None) -> Case:
    citizen = Citizen(display_name=p.name, phone_e164=p.phone, email=p.email, language="es")
    session.add(citizen)
    await session.flush()
    session.add(
        ChannelIdentity(citizen_id=citizen.id, channel="whatsapp", address=p.phone, display_name=p.name)
    )
    session.add(
        Message(citizen_id=citizen.id, direction="in", author="citizen", channel="whatsapp",
                address=p.phone, text=p.said)
    )  # fmt: skip
    new = NewCase(service=p.service, description=p.description, address=p.address,
                  latitude=p.pin[0], longitude=p.pin[1])  # fmt: skip
    case = await file_case(session, settings, citizen=citizen, new=new, channel="whatsapp", language="es")
    case.publish_consent = p.consent
    if when is not None:
        case.created_at = case.updated_at = when
    return case


async def seed(sessions: Sessions, settings: Settings, when: datetime | None = None) -> dict[str, Case]:
    """The town's cases, by the name of the person who filed each."""
    async with sessions() as session, session.begin():
        return {p.name: await person_case(session, settings, p, when) for p in PEOPLE}


async def export(sessions: Sessions, settings: Settings, now: datetime) -> opendata.Exported:
    return await opendata.export(sessions, settings, now)
