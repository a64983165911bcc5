"""A voice note in the dialogue: queued to be heard (no reply yet), then its transcript answered as typed
text after "Escuché: «…»" (the summary says "Entendí"), or, when it could not be heard, the citizen asked
to type it and offered a person.

Nothing is said when a note is queued: the transcript's own echo comes seconds later and is the
acknowledgment; an "I'm listening" before it would be a second message for every note (an SMS or a
WhatsApp message the city pays for) saying nothing the echo does not (docs/voice.md)."""

from __future__ import annotations

from bot.handoff import offer
from bot.turn import DialogueState, Turn
from storage import voice_notes


def is_voice_note(turn: Turn) -> bool:
    """Only a voice note, no words, on a service that listens (a caption, if any, is answered instead)."""
    return (
        turn.listens
        and turn.inbound.transcribed_from is None
        and not turn.text.strip()
        and any(a.kind == "voice" for a in turn.inbound.attachments)
    )


async def listen(turn: Turn) -> None:
    """Queue the note with its message. The conversation stays exactly as it was, so the transcript
    answers the question pending before the note (a description, a yes, a rating)."""
    _as_before(turn)
    await voice_notes.queue(turn.session, turn.message, turn.inbound.recipient)


def was_unheard(turn: Turn) -> bool:
    return turn.inbound.transcribed_from is not None and not turn.text.strip()


async def ask_to_type(turn: Turn) -> None:
    """Too long, unclear, or failing: type it, or a person (who can play the note in the inbox)."""
    _as_before(turn)
    offer(turn, "voice_unheard")


def say_heard(turn: Turn) -> None:
    """A transcript's reply starts with what was heard: the citizen sees a misheard word at once."""
    if turn.inbound.transcribed_from is not None and turn.text.strip():
        turn.say("voice_heard", heard=turn.text.strip())


def _as_before(turn: Turn) -> None:
    # A Turn takes its next-message-only state (a draft, a pending question's answer) on creation; the
    # note's turn gives it back to the message that will carry its words.
    turn.state = DialogueState.load(turn.conversation.state)
