"""Opting into the city's topics by chat, and BAJA / ALTA (issue 16: being built)."""

from __future__ import annotations

from bot.turn import Turn


def says_come_back(turn: Turn) -> bool:
    return False


async def come_back(turn: Turn) -> None:
    raise NotImplementedError


def answers(turn: Turn) -> bool:
    return False


async def answer(turn: Turn) -> None:
    raise NotImplementedError


def asks(turn: Turn) -> bool:
    return False


async def offer(turn: Turn) -> None:
    raise NotImplementedError
