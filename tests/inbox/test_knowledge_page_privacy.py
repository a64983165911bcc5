"""The questions citizens put to the knowledge base, and the person behind them: an erasure, the retention
rule and a web chat visitor's removal take the words and the tie to who asked and keep the counts the
supervisors' page shows; merging two citizens moves them; "Mis datos" gives a citizen their own."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import data_export, retention, retention_commands
from bot.erasure import erase_citizen
from bot.settings import Settings
from bot.settings_loading import load_settings
from storage.citizens import merge_citizens
from storage.models import Citizen, KnowledgeAsk, utcnow
from storage.stores import open_store
from storage.webchat import forget_chats
from tests.inbox.conftest import Staff
from tests.inbox.test_knowledge_page import ZOO, asked, listed, topic_cells


async def a_citizen(sessions: async_sessionmaker[AsyncSession], **values: object) -> int:
    async with sessions() as session, session.begin():
        someone = Citizen(language="es", **values)
        session.add(someone)
        await session.flush()
        return someone.id


async def questions(sessions: async_sessionmaker[AsyncSession]) -> list[KnowledgeAsk]:
    async with sessions() as session:
        return list((await session.scalars(select(KnowledgeAsk).order_by(KnowledgeAsk.id))).all())


async def test_an_erasure_takes_the_words_and_keeps_the_counts(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    ana = await a_citizen(sessions, display_name="Ana Quintero")
    await asked(sessions, "donde queda la oficina de catastro de ana", citizen_id=ana)
    await asked(sessions, "cuanto es el predial", outcome="answered", topic="impuesto-predial",
                useful=False, citizen_id=ana)  # fmt: skip
    await asked(sessions, "donde queda la oficina de catastro de ana")  # someone else, same words
    before = await supervisor.page("/inbox/knowledge")
    assert listed(before, "misses") == [("donde queda la oficina de catastro de ana", "2")]
    async with sessions() as session, session.begin():
        await erase_citizen(session, settings, ana, by="citizen")
    rows = await questions(sessions)
    hers = rows[:2]
    assert [(r.question, r.folded, r.citizen_id, r.message_id) for r in hers] == [
        (None, None, None, None)
    ] * 2
    assert [(r.outcome, r.topic, r.useful) for r in hers] == [
        ("miss", None, None), ("answered", "impuesto-predial", False)
    ]  # fmt: skip
    assert rows[2].question == "donde queda la oficina de catastro de ana"  # the other person's stays
    after = await supervisor.page("/inbox/knowledge")
    assert listed(after, "misses") == [("donde queda la oficina de catastro de ana", "1")]
    assert 'data-without-text="1"' in after.split('data-list="misses"')[1].split("</section>")[0]
    assert listed(after, "not-useful") == []
    assert topic_cells(after, "impuesto-predial") == topic_cells(before, "impuesto-predial")  # still counted


async def test_retention_blanks_old_questions_listed_by_the_dry_run_and_spares_a_held_citizen(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    short = load_settings(
        None, None, **{"database.url": settings.database.url, "media.dir": str(settings.media.dir),
                       "knowledge.keep_questions_days": "30"}
    )  # fmt: skip
    held = await a_citizen(sessions, erasure_hold="demanda en curso")
    old = await asked(sessions, "donde queda el zoologico viejo", days_ago=45)
    kept_for_hold = await asked(sessions, "donde queda el cementerio", days_ago=45, citizen_id=held)
    recent = await asked(sessions, ZOO, days_ago=5)
    async with sessions() as session:
        planned = await retention.plan(session, short, utcnow())
    dry = "\n".join(retention_commands.listing(planned))
    assert "questions to the knowledge base asked before" in dry and ": 1 question to lose their words" in dry
    assert "zoologico" not in dry  # the dry run counts; it quotes nobody
    assert [r.question for r in await questions(sessions)] == [
        "donde queda el zoologico viejo", "donde queda el cementerio", ZOO
    ]  # fmt: skip
    async with open_store(short) as store:
        done = await retention.apply(sessions, short, store, planned)
    assert done.questions_blanked == 1
    assert "1 question lost their words" in "\n".join(retention_commands.report(planned, done))
    by_id = {r.id: r for r in await questions(sessions)}
    assert (by_id[old].question, by_id[old].folded, by_id[old].citizen_id) == (None, None, None)
    assert by_id[old].outcome == "miss"  # still counted
    assert by_id[kept_for_hold].question == "donde queda el cementerio" and by_id[recent].question == ZOO
    page = await supervisor.page("/inbox/knowledge?days=90")
    assert "zoologico viejo" not in page and 'data-without-text="1"' in page


async def test_a_removed_web_chat_visitor_leaves_only_counts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    visitor = await a_citizen(sessions)
    await asked(sessions, "horario de la biblioteca", citizen_id=visitor)
    async with sessions() as session, session.begin():
        await forget_chats(session, [visitor])
    [row] = await questions(sessions)
    assert (row.question, row.folded, row.citizen_id, row.outcome) == (None, None, None, "miss")


async def test_merging_two_citizens_moves_their_questions(sessions: async_sessionmaker[AsyncSession]) -> None:
    telegram, whatsapp = await a_citizen(sessions), await a_citizen(sessions)
    await asked(sessions, "donde pago el predial", citizen_id=telegram)
    await asked(
        sessions, "horario alcaldia", outcome="answered", topic="horario-alcaldia", citizen_id=whatsapp
    )
    async with sessions() as session, session.begin():
        source, target = await session.get(Citizen, telegram), await session.get(Citizen, whatsapp)
        assert source is not None and target is not None
        await merge_citizens(session, source, target)
    assert [(r.citizen_id, r.question) for r in await questions(sessions)] == [
        (whatsapp, "donde pago el predial"), (whatsapp, "horario alcaldia")
    ]  # fmt: skip


async def test_mis_datos_holds_the_citizens_own_questions_and_no_one_elses(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    ana, other = await a_citizen(sessions), await a_citizen(sessions)
    await asked(sessions, "=cuanto cuesta el certificado", outcome="answered", topic="impuesto-predial",
                useful=True, citizen_id=ana)  # fmt: skip
    await asked(sessions, ZOO, citizen_id=ana)
    await asked(sessions, "pregunta de otra persona", citizen_id=other)
    async with sessions() as session, open_store(settings) as store:
        body = await data_export.zip_of(session, store, settings, ana, now=utcnow() + timedelta(seconds=1))
    assert body is not None
    archive = zipfile.ZipFile(io.BytesIO(body))
    rows = list(csv.DictReader(io.StringIO(archive.read("preguntas.csv").decode("utf-8-sig"))))
    assert [(r["pregunta"], r["resultado"], r["tema"], r["te_sirvio"]) for r in rows] == [
        ("'=cuanto cuesta el certificado", "respondida", "impuesto-predial", "si"),
        (ZOO, "sin_respuesta", "", ""),
    ]  # fmt: skip
    assert "pregunta de otra persona" not in archive.read("datos.json").decode()
    assert (
        "preguntas.csv" in archive.read("LEEME.txt").decode()
        and "preguntas.csv" in archive.read("README.txt").decode()
    )
