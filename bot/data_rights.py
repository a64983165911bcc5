"""The citizen's data rights in the chat: see ("mis datos"), download, correct, erase.

One dialogue rule catches the request in the citizen's words (bot/data_rights_words.py) and hands it to
the module of that right: bot/my_data.py, bot/data_export.py, bot/correction_requests.py, and
bot/erasure_dialogue.py, whose confirmations are answered by the next messages."""

from __future__ import annotations

from bot import correction_requests, data_export, erasure_dialogue, my_data
from bot.data_rights_words import ERASE_ALONE, request_in
from bot.reading import in_report, is_button
from bot.turn import Turn

# Buttons of "mis datos" send these: the same requests without words.
PAYLOADS = {"/my_data": "see", "/data_export": "export", "/data_erase": "erase", "/data_correct": "correct"}


def requested(turn: Turn) -> str | None:
    if is_button(turn):
        return PAYLOADS.get(turn.text.strip())
    if not in_report(turn) and ERASE_ALONE.search(turn.said):
        return "erase"
    return request_in(turn.said)


def asks(turn: Turn) -> bool:
    return requested(turn) is not None


async def act(turn: Turn) -> None:
    kind = requested(turn)
    turn.understood()
    if kind == "erase":
        await erasure_dialogue.start(turn)
    elif kind == "export":
        await data_export.give_link(turn)
    elif kind == "correct":
        await correction_requests.ask(turn)
    else:
        await my_data.describe(turn)
