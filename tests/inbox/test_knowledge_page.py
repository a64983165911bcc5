"""The supervisors' page of what citizens asked the knowledge base: unanswered questions and answers that did
not help, most frequent first, each topic's figures and age, the period, and the two lists as CSV."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.settings_loading import load_settings
from bot.words import fold
from nlu.base import Classifier
from storage import knowledge_asks
from storage.models import AuditEvent, Citizen, utcnow
from tests.inbox.conftest import Client, Staff
from tests.support.conversation import Citizen as Talker
from tests.support.scripted import ScriptedClassifier

ZOO = "¿dónde queda el zoológico?"
SHIPPED = Path(__file__).resolve().parents[2] / "knowledge"  # the example topics that ship


async def asked(
    sessions: async_sessionmaker[AsyncSession],
    question: str,
    *,
    outcome: str = "miss",
    topic: str | None = None,
    useful: bool | None = None,
    language: str = "es",
    days_ago: float = 0,
    citizen_id: int | None = None,
) -> int:
    """A question as the dialogue records it (storage/knowledge_asks.py), `days_ago` days ago."""
    async with sessions() as session, session.begin():
        if citizen_id is None:
            someone = Citizen(language=language)
            session.add(someone)
            await session.flush()
            citizen_id = someone.id
        ask = await knowledge_asks.record(
            session, citizen_id=citizen_id, message_id=None, channel="rest", language=language,
            question=question, folded=fold(question), outcome=outcome, topic=topic,
            score=0.9 if topic else 0.05, now=utcnow() - timedelta(days=days_ago),
        )  # fmt: skip
        ask.useful = useful
        return ask.id


def listed(page: str, name: str) -> list[tuple[str, str]]:
    """(question, times) of one list, in the page's order."""
    section = page.split(f'data-list="{name}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<td class="preview"[^>]*>([^<]*)</td>\s*<td[^>]*data-count>(\d+)</td>', section)
    return [(question, times) for question, times in rows]


def topic_cells(page: str, slug: str) -> dict[str, str]:
    row = page.split(f'data-row="topic:{slug}"', 1)[1].split("</tr>", 1)[0]
    return dict(re.findall(r'data-cell="(\w+)">([^<]*)', row))


async def test_the_most_frequent_first_with_each_topics_figures(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    for words in (ZOO, "donde queda el zoologico", "Dónde queda el zoológico"):
        await asked(sessions, words)  # one question three ways: one group of three
    await asked(sessions, "horario de la piscina municipal")
    await asked(sessions, "where is the zoo", language="en")
    await asked(
        sessions, "cuanto pago de predial", outcome="answered", topic="impuesto-predial", useful=False
    )
    await asked(
        sessions, "cuanto pago de predial", outcome="answered", topic="impuesto-predial", useful=False
    )
    await asked(sessions, "predial vencido", outcome="answered", topic="impuesto-predial", useful=True)
    await asked(sessions, "a que hora abren", outcome="answered", topic="horario-alcaldia", useful=True)
    await asked(sessions, "horario", outcome="choice", topic="horario-alcaldia")
    await asked(sessions, "horario o basura", outcome="choice")  # a choice left unanswered: no topic
    page = await supervisor.page("/inbox/knowledge")
    misses = listed(page, "misses")
    assert misses[0] == ("Dónde queda el zoológico", "3")  # the latest wording stands for its group
    assert {q for q, _ in misses[1:]} == {"horario de la piscina municipal", "where is the zoo"}
    assert listed(page, "not-useful") == [("cuanto pago de predial", "2")]
    not_useful = page.split('data-list="not-useful"', 1)[1].split("</section>", 1)[0]
    assert 'data-topic="impuesto-predial">Impuesto predial' in not_useful
    predial = topic_cells(page, "impuesto-predial")
    assert predial | {"checked": ""} == {
        "answered": "3", "chosen": "0", "useful": "1", "not_useful": "2", "share_useful": "33 %",
        "checked": "",
    }  # fmt: skip
    assert topic_cells(page, "horario-alcaldia")["chosen"] == "1"
    basura = page.split('data-row="topic:recoleccion-basura"', 1)[1].split("</tr>", 1)[0]
    assert "data-never-asked" in basura and "2026-11-20" in basura
    assert page.index('data-row="topic:impuesto-predial"') < page.index('data-row="topic:recoleccion-basura"')


async def test_the_period_is_7_30_or_90_days(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await asked(sessions, "donde vacunan al perro", days_ago=3)
    await asked(sessions, "licencia de construccion", days_ago=20)
    await asked(sessions, "permiso para evento", days_ago=60)
    await asked(sessions, "cementerio municipal", days_ago=120)

    async def questions(query: str) -> set[str]:
        return {q for q, _ in listed(await supervisor.page(f"/inbox/knowledge{query}"), "misses")}

    assert await questions("") == {"donde vacunan al perro", "licencia de construccion"}  # 30 by default
    assert await questions("?days=7") == {"donde vacunan al perro"}
    assert await questions("?days=90") == {"donde vacunan al perro", "licencia de construccion",
                                            "permiso para evento"}  # fmt: skip
    assert await questions("?days=100000") == await questions("")  # only the periods offered
    assert await questions("?days=abc") == await questions("")


async def test_the_csv_has_both_lists_is_audited_and_runs_nothing(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await asked(sessions, '=HYPERLINK("http://evil.example","clic")')
    await asked(sessions, "+57 300 123 4567 llamen por el zoologico")
    await asked(sessions, "@SUM(1+1)")
    await asked(sessions, "predial", outcome="answered", topic="impuesto-predial", useful=False)
    response = await supervisor.get("/inbox/knowledge.csv?days=7")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO((await response.text()).lstrip("\ufeff"))))
    assert rows[0] == ["lista", "pregunta", "veces", "ultima_vez", "idiomas", "tema", "titulo_tema"]
    by_question = {r[1]: r for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","clic")' in by_question
    assert "'@SUM(1+1)" in by_question
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)
    assert by_question["predial"][0] == "no_sirvio" and by_question["predial"][6] == "Impuesto predial"
    assert "300 123 4567" not in await response.text()
    async with sessions() as session:
        events = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "knowledge.export"))
        ).all()
    assert [(e.actor, e.detail) for e in events] == [("sara", {"days": 7})]


async def test_personal_data_in_a_question_is_masked_on_the_page_and_in_the_csv(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    secrets = ("+57 300 123 4567", "3001234567", "ana.perez@example.com", "1.023.456.789", "30.123.456")
    await asked(sessions, "mi cedula es 1.023.456.789 y mi correo ana.perez@example.com, donde saco el pase")
    await asked(sessions, "llamenme al +57 300 123 4567 o al 3001234567 por lo del zoologico")
    await asked(
        sessions, "dni 30.123.456 me sirvio?", outcome="answered", topic="horario-alcaldia", useful=False
    )
    page = await supervisor.page("/inbox/knowledge")
    body = await (await supervisor.get("/inbox/knowledge.csv")).text()
    for secret in secrets:
        assert secret not in page and secret not in body, secret
    assert "donde saco el pase" in page and "por lo del zoologico" in body  # the question itself stays


async def test_a_question_written_as_html_is_shown_as_text(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    await asked(sessions, attack)
    await asked(sessions, attack, outcome="answered", topic="<b>no-such-topic</b>", useful=False)
    page = await supervisor.page("/inbox/knowledge")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>no-such" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;no-such-topic&lt;/b&gt;" in page


async def test_no_way_from_a_question_to_who_asked(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        ana = Citizen(language="es", display_name="Ana Quintero Rojas", phone_e164="+573001112233")
        session.add(ana)
        await session.flush()
        ana_id = ana.id
    await asked(sessions, ZOO, citizen_id=ana_id)
    await asked(
        sessions, "predial", outcome="answered", topic="impuesto-predial", useful=False, citizen_id=ana_id
    )
    page = await supervisor.page("/inbox/knowledge")
    main = page.split("<main>", 1)[1]
    assert "Ana Quintero" not in main and "3001112233" not in main
    assert (
        "/inbox/citizens" not in main and "/inbox/conversations" not in main and "/inbox/cases/" not in main
    )
    assert "citizen" not in main  # no link, id or attribute that names who asked


async def test_only_city_wide_supervisors_and_admins(
    agent: Staff,
    browser: Callable[[], Staff],
    add_staff: Callable[..., Awaitable[int]],
    supervisor: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await asked(sessions, ZOO)
    await add_staff("dora", "supervisor", departments=["sanitation"])
    await add_staff("adan", "admin")
    dora, adan, nobody = browser(), browser(), browser()
    assert (await dora.log_in("dora")).status == 303 and (await adan.log_in("adan")).status == 303
    for who in (agent, dora):
        for path in ("/inbox/knowledge", "/inbox/knowledge.csv", "/inbox/knowledge.csv?days=90"):
            assert (await who.get(path)).status == 403, (who.username, path)
        assert 'href="/inbox/knowledge"' not in await who.page("/inbox/queue")
    for path in ("/inbox/knowledge", "/inbox/knowledge.csv"):
        response = await nobody.get(path)
        assert response.status in (302, 303) and "/inbox/login" in response.headers["Location"]
    for who in (supervisor, adan):
        assert 'href="/inbox/knowledge"' in await who.page("/inbox/queue")
        assert "zoológico" in await who.page("/inbox/knowledge")
    async with sessions() as session:
        exports = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "knowledge.export"))
        ).all()
    assert exports == []  # a refused download is no export


async def test_in_english_for_staff_who_read_english(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await asked(sessions, "where is the zoo", language="en")
    assert (
        await supervisor.post("/inbox/language", {"language": "en", "next": "/inbox/knowledge"})
    ).status == 303
    page = await supervisor.page("/inbox/knowledge")
    assert (
        "Questions with no answer" in page and "Answers that did not help" in page and "Last 30 days" in page
    )
    assert '<html lang="en"' in page and ">EN<" in page


async def test_a_stale_topic_is_marked_until_its_file_is_checked_again(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    tmp_path: Path,
    add_staff: Callable[..., Awaitable[int]],
) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()

    def write(name: str, checked: str | None) -> None:
        text = (SHIPPED / name).read_text(encoding="utf-8")
        text = re.sub(r"(?m)^checked: .*$", f"checked: {checked}" if checked else "", text)
        (folder / name).write_text(text, encoding="utf-8")

    write("horario-alcaldia.yml", "2020-01-15")
    write("impuesto-predial.yml", None)
    overrides = {
        "database.url": settings.database.url,
        "media.dir": str(settings.media.dir),
        "nlu.model_dir": str(tmp_path / "model"),
        "knowledge.dir": str(folder),
        "knowledge.reload_seconds": "0",  # every page looks at the files
    }
    client = await aiohttp_client(create_app(load_settings(None, None, **overrides), classifier=scripted))
    await add_staff("sara", "supervisor")
    sara = Staff(client.make_url("/"))
    try:
        assert (await sara.log_in("sara")).status == 303
        page = await sara.page("/inbox/knowledge")
        assert "data-stale" in topic_cells_row(page, "horario-alcaldia") and "2020-01-15" in page
        predial = topic_cells_row(page, "impuesto-predial")
        assert "data-stale" in predial and "nunca" in predial  # never checked: check it
        assert "recoleccion-basura" not in page  # only the folder's topics
        today = utcnow().date().isoformat()
        write("horario-alcaldia.yml", today)  # staff read it again against the office's hours
        os.utime(folder / "horario-alcaldia.yml", ns=(1, 2))  # a change the folder's fingerprint sees
        again = topic_cells_row(await sara.page("/inbox/knowledge"), "horario-alcaldia")
        assert "data-stale" not in again and today in again
    finally:
        await sara.close()


def topic_cells_row(page: str, slug: str) -> str:
    return page.split(f'data-row="topic:{slug}"', 1)[1].split("</tr>", 1)[0]


# END TO END, through the real dialogue: the dialogue part of issue 17 records the questions (a miss, and
# "no" to "¿Te sirvió?"); until that branch is merged the stubs record nothing, hence the mark, which the
# lead removes after merging.
@pytest.mark.xfail(strict=False, reason="needs the dialogue part")
async def test_what_citizens_asked_through_the_real_dialogue_reaches_the_page(
    supervisor: Staff,
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    knowledge_base: KnowledgeBase,
) -> None:
    pipeline = make_pipeline(builtin_classifier, knowledge_base)
    vecina = Talker(pipeline, "web-vecina-7c1e5a90d2")
    await vecina.says("hola")
    await vecina.says(ZOO)  # nothing in the example set: a miss, offered a person
    await vecina.says("no gracias")
    vecino = Talker(pipeline, "web-vecino-3b8f0e61aa")
    await vecino.says("a q hora abre la alcaldia??")  # answered, then "¿Te sirvió?"
    await vecino.says("no")
    page = await supervisor.page("/inbox/knowledge")
    assert ("¿dónde queda el zoológico?", "1") in listed(page, "misses")
    not_useful = page.split('data-list="not-useful"', 1)[1].split("</section>", 1)[0]
    assert 'data-topic="horario-alcaldia"' in not_useful and "a q hora abre la alcaldia??" in not_useful
    assert "web-vecin" not in page
