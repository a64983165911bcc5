"""A survey's YAML: every mistake named by its field (exit 2 from `ventanilla surveys create`), the example
accepted, dates in the city's time, the same slug twice refused; `surveys results` hides small counts."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.settings import Settings
from bot.surveys import SurveyError, check, load
from tests.support.surveys import EXAMPLE


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def question(**changes: Any) -> dict[str, Any]:
    choices = [{"key": "a", "es": "A", "en": "A"}, {"key": "b", "es": "B", "en": "B"}]
    return {"key": "q", "kind": "single", "text": {"es": "¿?", "en": "?"}, "choices": choices} | changes


BAD = [
    ({"slug": "Con Espacios"}, "slug:"),
    ({"title": {"es": "Solo español"}}, "title.en:"),
    ({"binding": None}, "binding:"),
    ({"topic": "deportes"}, "topic: 'deportes' is not in participation.topics"),
    ({"area": "oeste"}, "area: 'oeste'"),
    ({"channel": "fax"}, "channel: 'fax'"),
    ({"closes": "2027-01-15"}, "closes: must be after opens"),
    ({"opens": "el lunes"}, "opens:"),
    ({"whatsapp_template_sid": "plantilla"}, "whatsapp_template_sid:"),
    ({"questions": []}, "questions:"),
    ({"questions": [question(key=f"q{i}") for i in range(11)]}, "questions:"),
    ({"questions": [question(), question()]}, "two questions share a key"),
    ({"questions": [question(kind="ranking")]}, "questions[1] (q).kind:"),
    ({"questions": [question(choices=[{"key": "a", "es": "A", "en": "A"}])]}, "questions[1] (q): Value"),
    ({"questions": [question(kind="scale")]}, "a scale question has no choices"),
    ({"questions": [question(choices=[{"key": "a", "es": "A", "en": "A"}] * 2)]}, "two choices share a key"),
    ({"questions": [question(), question(key="r", text={"es": "x"})]}, "questions[2] (r).text.en:"),
    ({"colour": "red"}, "colour: Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("change", "named"), BAD, ids=[named for _, named in BAD])
def test_a_mistake_is_named_by_its_field(settings: Settings, change: dict[str, Any], named: str) -> None:
    data = {k: v for k, v in (example() | change).items() if v is not None}
    with pytest.raises(SurveyError) as error:
        check(data, settings)
    assert named.replace(": Value", ":") in str(error.value)


def test_not_yaml_and_not_a_mapping(settings: Settings) -> None:
    with pytest.raises(SurveyError, match="not valid YAML"):
        load("slug: [a", settings)
    with pytest.raises(SurveyError, match="YAML mapping"):
        load("- a\n- b", settings)


def test_the_example_is_a_binding_vote_open_the_whole_of_february_in_city_time(settings: Settings) -> None:
    checked = check(example(), settings)
    row = checked.as_row()
    assert row.binding and row.topic == "encuestas" and len(row.questions) == 4
    assert {q["kind"] for q in row.questions} == {"single", "multiple", "scale", "text"}
    zone = settings.city.zone
    assert checked.opens_at.astimezone(zone).replace(tzinfo=None) == datetime(2027, 2, 1)
    assert checked.closes_at.astimezone(zone).replace(tzinfo=None) == datetime(2027, 3, 1)  # end of the 28th


def test_a_time_closes_at_that_time_and_webchat_is_the_rest_channel(settings: Settings) -> None:
    checked = check(example() | {"closes": "2027-02-28T18:00:00+00:00", "channel": "webchat"}, settings)
    assert checked.closes_at == datetime(2027, 2, 28, 18, tzinfo=UTC)
    assert checked.as_row().channel == "rest"


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))


async def test_create_stores_once_and_names_the_mistake(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await command(settings, "surveys", "create", str(EXAMPLE)) == 0
    out = capsys.readouterr().out
    assert "presupuesto-2027 created" in out
    assert await command(settings, "surveys", "create", str(EXAMPLE)) == 1
    assert "already exists" in capsys.readouterr().err
    bad = tmp_path / "mala.yml"
    bad.write_text(yaml.safe_dump(example() | {"slug": "otra", "topic": "deportes"}), encoding="utf-8")
    assert await command(settings, "surveys", "create", str(bad)) == 2
    assert "topic: 'deportes'" in capsys.readouterr().err
    assert await command(settings, "surveys", "create", str(tmp_path / "none.yml")) == 2
    assert await command(settings, "surveys", "results", "presupuesto-2027", "--csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "survey,question,choice,count"
    assert "presupuesto-2027,obra,parque,<5" in lines
    assert await command(settings, "surveys", "results", "1") == 0
    assert "respondents: <5" in capsys.readouterr().out
    assert await command(settings, "surveys", "results", "no-such") == 1
