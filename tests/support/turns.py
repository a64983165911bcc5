"""A turn built without a database, to test one rule's predicate on its own; and what ordinary citizens say
(every training example and every story's message), to show a rule leaves it alone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from bot.knowledge import KnowledgeBase
from bot.messages import Attachment, InboundMessage, Location
from bot.settings import Settings
from bot.turn import DialogueState, Turn
from nlu.base import Entity, IntentScore, Parse
from storage.models import Citizen, Conversation, Message

ROOT = Path(__file__).resolve().parents[2]


def bare_turn(
    settings: Settings,
    text: str,
    *,
    intent: str = "out_of_scope",
    confidence: float = 0.9,
    entities: tuple[Entity, ...] = (),
    state: DialogueState | None = None,
    attachments: tuple[Attachment, ...] = (),
    location: Location | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Turn:
    """A Spanish web chat turn whose parse is given by hand, so the classifier's mood does not matter."""
    parse = Parse(text, intent, confidence, (IntentScore(intent, confidence),), entities, "es")
    inbound = InboundMessage(
        "rest", "web-1-5f3c9d27e1", "m1", text=text, attachments=attachments, location=location
    )
    turn = Turn(
        settings,
        cast(AsyncSession, None),
        Citizen(language="es"),
        Conversation(),
        inbound,
        Message(),
        parse,
        "es",
        state or DialogueState(),
    )
    turn.knowledge = knowledge
    return turn


def ordinary_texts(skip_stories: Iterable[str] = ()) -> list[str]:
    """Every training example of nlu/data and every message of the stories but those of `skip_stories`."""
    skipped = set(skip_stories)
    found: list[str] = []
    for path in sorted((ROOT / "nlu" / "data").glob("*/*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    found.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:]))
    for path in sorted((ROOT / "tests" / "stories").glob("*.yml")):
        if path.stem in skipped:
            continue
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["turns"]:
                said: Any = step if isinstance(step, str) else step.get("say")
                if said:
                    found.append(str(said))
    return found
