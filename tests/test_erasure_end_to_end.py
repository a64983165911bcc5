"""Erasing one's data from the chat, end to end (issue 15): a citizen on SMS (with a photo) and Telegram
asks "borrar mis datos", confirms twice and types the code sent to their other channel; then a dump of the
whole database (SQLite's .dump, PostgreSQL's pg_dump), the media store, the inbox's CSV exports and
Open311 hold none of their phone number, name, chat id or words, while another citizen's data is whole,
the dashboard's figures are the same, and the case's code still answers its status."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import case_status
from bot.settings import Settings
from connectors.open311.keys import hash_key, new_key
from inbox import stats
from storage import api_keys
from storage import staff as staff_rows
from storage.models import Case, CaseEvent, Citizen, Conversation, OutboxItem, utcnow
from tests.connectors.test_uploads import phone_photo
from tests.inbox.conftest import Staff, password_hash
from tests.support.dumps import dump
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed
from tests.support.media import kept_names
from tests.test_cross_channel import OUR_SMS, PUBLIC_URL, SECRET, Client, arrives, client, fakes
from tests.test_followups_end_to_end import inbox

__all__ = ["client", "fakes", "inbox"]  # fixtures, used by name
PHONE = "+573157654321"
CHAT_ID = 77001234
USER = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana Lucía", "last_name": "Restrepo"}
OTHER = "web-beto-3c9d27e1f5a1"
_ids = itertools.count(1)
# What must be nowhere after the erasure: her number (as written, as stored, its local digits), her
# name, her chat id, and her own words (the report's description, the place she typed, a correction).
SECRETS = (
    *("573157654321", "3157654321", "315 765 4321", "Restrepo", "Ana Lucía", "Ana Lucia", str(CHAT_ID)),
    *("poste de luz caído frente al colegio", "carrera 27 #45-10", "casa azul de la esquina"),
)
QUOTING = "Llamé a Ana Lucía Restrepo al 315 765 4321: vive en la casa azul de la esquina"


async def sms(client: Client, body: str, media: tuple[str, bytes] | None = None) -> None:
    sid = f"SM{next(_ids):032x}"
    form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": PHONE, "To": OUR_SMS, "Body": body,
            "NumMedia": "0"}  # fmt: skip
    if media is not None:
        form |= {"NumMedia": "1", "MediaUrl0": media[0], "MediaContentType0": "image/jpeg"}
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200, await response.text()


async def telegram(client: Client, **content: Any) -> None:
    update = {"update_id": 700000000 + next(_ids),
              "message": {"message_id": next(_ids), "from": USER, "chat": {**USER, "type": "private"},
                          "date": 1763800100, **content}}  # fmt: skip
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await client.post("/webhooks/telegram", data=json.dumps(update), headers=headers)
    assert response.status == 200, await response.text()


async def web(client: Client, body: str) -> str:
    response = await client.post("/webhooks/rest/webhook", json={"sender": OTHER, "message": body})
    assert response.status == 200, await response.text()
    return "\n".join(r.get("text", "") for r in await response.json())


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.casefold() in text.casefold()]


async def figures(sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime) -> Any:
    async with sessions() as session:
        board = await stats.dashboard(session, settings, now, {})
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
    return board, citizens


async def test_a_citizen_on_two_channels_erases_their_data_and_nothing_of_them_is_left(
    client: Client,
    inbox: Client,
    fakes: tuple[FakeTwilio, FakeTelegram],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
) -> None:
    twilio, bot = fakes

    def to_her() -> list[str]:
        return [m["body"] for m in twilio.sent_to(PHONE)]

    on_telegram = lambda: [str(m["text"]) for m in bot.sent()]  # noqa: E731

    # Ana reports by SMS, with a photo, and links Telegram by sharing her number there.
    await sms(client, "hay un poste de luz caído frente al colegio, en la carrera 27 #45-10")
    await arrives(to_her, 2)
    photo_url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM{'a' * 32}/Media/ME{'b' * 32}"
    )
    twilio.add_media(photo_url, phone_photo(), "image/jpeg")
    await sms(client, "", media=(photo_url, b""))
    asked = await arrives(to_her, 3)
    await sms(client, "si")
    filed = await arrives(to_her, 4)
    code = re.search(r"\b[0-9A-Z]{3}-[0-9A-Z]{3}\b", filed[-1] + " " + " ".join(filed))
    assert code is not None, (asked, filed)
    await telegram(client, contact={"phone_number": PHONE.lstrip("+"), "first_name": "Ana Lucía",
                                    "last_name": "Restrepo", "user_id": CHAT_ID})  # fmt: skip
    await arrives(on_telegram, 1)
    # Beto, on the web chat, starts his own report: his data must come through whole.
    await web(client, "hay basura acumulada en el parque, nadie la recoge hace una semana")

    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code[0]))
        assert case is not None and case.attachments
        added = await staff_rows.add_staff(
            session, username="lucia", password_hash=password_hash(), role="supervisor", department=None
        )
        lucia = case_status.Staff(added.id, added.username)
        await case_status.change_status(session, settings, case, "acknowledged", staff=lucia,
                                        note=QUOTING)  # fmt: skip
        await case_status.change_status(session, settings, case, "in_progress", staff=lucia,
                                        note="Cuadrilla 3 asignada para el martes")  # fmt: skip
        key = new_key()
        await api_keys.add_api_key(session, "sistema-obras", hash_key(key), "private")
    await arrives(to_her, 5)
    now = utcnow()
    before = await figures(sessions, settings, now)
    photos_before = await kept_names(settings)
    assert len(photos_before) == 1
    public_before = await (await client.get("/open311/v2/requests.json")).json()

    # She asks, on SMS; confirms twice; the code goes to Telegram, and she types it on SMS.
    n = len(to_her())
    await sms(client, "quiero que borren todos mis datos")
    explained = await arrives(to_her, n + 2)
    assert "no se puede deshacer" in explained[-2].casefold()
    await sms(client, "si")
    assert "BORRAR" in (await arrives(to_her, n + 3))[-1]
    await sms(client, "BORRAR")
    sent_code = re.search(r"\b(\d{6})\b", (await arrives(on_telegram, 2))[-1])
    assert sent_code is not None
    assert "Telegram" in (await arrives(to_her, n + 4))[-1]
    await sms(client, sent_code[1])
    done = await arrives(to_her, n + 5)
    assert "borramos tus datos" in done[-1]

    # Nothing of hers, anywhere the city keeps or shows data.
    everything = await dump(database_url)
    assert leaks(everything) == [], leaks(everything)
    assert await kept_names(settings) == []  # her photo is gone from the media store
    lucia_browser = Staff(inbox.make_url("/"))
    try:
        assert (await lucia_browser.log_in("lucia")).status == 303
        async with sessions() as session:
            kept = await session.scalar(
                select(Conversation).join(Citizen).where(Citizen.erased_at.is_not(None))
            )
        assert kept is not None
        conversation = f"/inbox/conversations/{kept.id}"
        for page in ("/inbox/cases.csv", "/inbox/dashboard.csv", f"/inbox/cases/{code[0]}", "/inbox/cases",
                     conversation, f"/inbox/citizens/{kept.citizen_id}"):  # fmt: skip
            shown = await lucia_browser.page(page)
            assert leaks(shown) == [], (page, leaks(shown))
        # Staff see where her messages were, and that a note was taken out.
        assert "la persona pidió borrar sus datos" in await lucia_browser.page(conversation)
    finally:
        await lucia_browser.close()
    public_after = await (await client.get("/open311/v2/requests.json")).json()
    private_after = await (await client.get("/open311/v2/requests.json", params={"api_key": key})).json()
    assert leaks(json.dumps(public_after, ensure_ascii=False)) == []
    assert leaks(json.dumps(private_after, ensure_ascii=False)) == []
    assert len(public_after) == len(public_before)

    # The city's figures are the same; the case's code still answers its status, without anything of hers.
    assert await figures(sessions, settings, now) == before
    answer = await (await client.get(f"/open311/v2/requests/{code[0]}.json")).json()
    assert answer[0]["status"] == "open" and answer[0]["service_code"] == "streetlight"
    status = await web(client, f"como va el caso {code[0]}")
    assert code[0] in status and leaks(status) == []

    async with sessions() as session:
        erased = await session.scalar(select(Case).where(Case.code == code[0]))
        assert (
            erased is not None and erased.status == "in_progress" and erased.department == "public_lighting"
        )
        notes = (await session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == erased.id))).all()
        assert "Cuadrilla 3 asignada para el martes" in notes  # a note that does not quote her stays
        assert any(n and n.startswith("[Nota retirada") for n in notes)  # the one that did says so
        outbox = (await session.scalars(select(OutboxItem.address))).all()
        assert all(PHONE not in a and str(CHAT_ID) not in a for a in outbox)
    assert "hay basura acumulada en el parque" in everything  # Beto's words are untouched

    # Writing again, she is a new citizen who sees the notice again; her old case is not hers any more.
    await sms(client, "hola")
    again = await arrives(to_her, n + 8)
    assert "Aviso de privacidad" in again[-3] and "¡Hola!" in again[-2]
    await sms(client, "como va mi caso")
    assert code[0] not in (await arrives(to_her, n + 9))[-1]
