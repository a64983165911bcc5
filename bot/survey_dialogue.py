"""Answering a survey in the chat (issue 16: being built)."""

from __future__ import annotations

from typing import Any

from bot.messages import Button
from bot.settings import Settings
from bot.turn import Turn
from storage.models import Survey


def opening(
    settings: Settings, survey: Survey, delivery_id: int, language: str, buttons_ok: bool
) -> tuple[str, tuple[Button, ...], dict[str, Any]]:
    """The survey's first message (what it is, binding or advisory, until when, and its first question),
    its buttons, and the `DialogueState.survey` the sender sets."""
    raise NotImplementedError


def answers(turn: Turn) -> bool:
    return False


async def answer(turn: Turn) -> None:
    raise NotImplementedError


def asks(turn: Turn) -> bool:
    return False


async def start(turn: Turn) -> None:
    raise NotImplementedError
