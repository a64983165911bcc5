"""Voice notes through the real pipeline, queue and worker, with a scripted transcriber at the seam: one
turn per note however often it is tried, the fallback when it keeps failing, the web chat's poll, and the
citizen's data rules (erasure, retention) for the audio and the transcript."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import erasure, retention
from bot.history import Outcome
from bot.messages import Attachment, InboundMessage
from bot.pipeline import Pipeline
from bot.texts import text
from bot.voice import Heard
from bot.voice_notes import MAX_TRIES, SUFFIX, VoiceNotes
from nlu.base import Classifier
from storage import messages as message_rows
from storage.media import MediaStore, name_of, new_name, url_of
from storage.models import Citizen, Direction, Message, VoiceNote, utcnow
from storage.stores import open_store
from tests.support.scripted import ScriptedClassifier
from tests.support.scripted_voice import ScriptedTranscriber

Sessions = async_sessionmaker[AsyncSession]
_ids = itertools.count(1)


@pytest.fixture
async def store(settings: object) -> AsyncIterator[MediaStore]:
    async with open_store(settings) as opened:  # type: ignore[arg-type]
        yield opened


@pytest.fixture
def pipeline(make_pipeline: Callable[[Classifier], Pipeline], scripted: ScriptedClassifier) -> Pipeline:
    made = make_pipeline(scripted)
    made.listens = True
    return made


class Handed:
    """The pipeline's hand-off, counting, and able to fail after the turn committed (a crash between)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.outcomes: list[Outcome] = []
        self.crash_after = 0

    async def __call__(self, message: InboundMessage) -> Outcome:
        outcome = await self.pipeline.handle(message)
        self.outcomes.append(outcome)
        if self.crash_after:
            self.crash_after -= 1
            raise OSError("the worker lost its connection after the turn committed")
        return outcome


async def send_note(
    pipeline: Pipeline, store: MediaStore, channel: str = "telegram", address: str = "4242"
) -> Outcome:
    name = new_name("audio/ogg")
    await store.put(name, b"OggS a note", "audio/ogg")
    note = InboundMessage(
        channel=channel,
        address=address,
        provider_message_id=f"note-{next(_ids)}",
        attachments=(Attachment(url_of(name), "audio/ogg", "voice"),),
    )
    return await pipeline.handle(note)


def said(outcome: Outcome) -> list[str]:
    """The replies but the privacy notice (given with the first reply a citizen gets)."""
    return [r.text for r in outcome.replies if "privacidad" not in r.text.casefold()]


async def rows(sessions: Sessions) -> tuple[list[Message], list[VoiceNote]]:
    async with sessions() as session:
        found = list(await session.scalars(select(Message).order_by(Message.id)))
        notes = list(await session.scalars(select(VoiceNote)))
    return found, notes


async def test_a_note_is_queued_silently_and_its_transcript_answered_once(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    outcome = await send_note(pipeline, store)
    assert outcome.replies == ()  # nothing yet: the echo of what was heard is the acknowledgment
    transcriber = ScriptedTranscriber()
    transcriber.will_hear("hay un bache en la calle 10")
    handed = Handed(pipeline)
    handed.crash_after = 1  # the turn is committed, then the worker dies before marking the note done
    worker = VoiceNotes(sessions, store, transcriber, handed, lease=timedelta(0))
    assert await worker.pass_once() == 1
    assert await worker.pass_once() == 1  # claimed again: handed again, recognised as a replay
    assert await worker.pass_once() == 0
    first, again = handed.outcomes
    assert not first.duplicate and again.duplicate and again.replies == first.replies
    assert said(first)[0] == "Escuché: «hay un bache en la calle 10»"
    assert transcriber.calls == 1  # what was heard was kept: not heard a second time
    found, [note] = await rows(sessions)
    note_message, heard = [m for m in found if m.direction == Direction.IN]
    assert heard.transcribed_from == note_message.id and heard.text == "hay un bache en la calle 10"
    assert note_message.attachments and note_message.attachments[0]["kind"] == "voice"  # kept to play
    assert (note.status, note.outcome, note.transcript) == ("done", "heard", None)


async def test_a_note_whose_decoder_crashes_is_tried_again_then_answered(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    await send_note(pipeline, store)
    transcriber = ScriptedTranscriber(fails=1)
    transcriber.will_hear("se robaron la tapa de la alcantarilla")
    handed = Handed(pipeline)
    worker = VoiceNotes(sessions, store, transcriber, handed, lease=timedelta(0))
    await worker.pass_once()
    assert handed.outcomes == []  # the crash: nothing said yet
    await worker.pass_once()
    [outcome] = handed.outcomes
    assert said(outcome)[0].startswith("Escuché: «se robaron")


async def test_a_note_that_keeps_failing_ends_with_the_fallback_never_silence(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    await send_note(pipeline, store)
    transcriber = ScriptedTranscriber(fails=99)
    handed = Handed(pipeline)
    worker = VoiceNotes(sessions, store, transcriber, handed, lease=timedelta(0))
    while await worker.pass_once():
        pass
    assert transcriber.calls == MAX_TRIES
    [outcome] = handed.outcomes
    reply = outcome.replies[-1]
    assert said(outcome) == [text("voice_unheard", "es")]
    assert [b.payload for b in reply.buttons] == ["/human_handoff", "/menu"]
    _, [note] = await rows(sessions)
    assert (note.status, note.outcome) == ("done", "failed")


async def test_without_voice_the_old_answer(
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    store: MediaStore,
    sessions: Sessions,
) -> None:
    outcome = await send_note(make_pipeline(scripted), store)  # `voice.enabled: false`, or no extra
    assert text("cannot_listen", "es") in [r.text for r in outcome.replies]
    assert (await rows(sessions))[1] == []


async def test_a_web_chat_gets_a_transcripts_replies_by_its_poll_like_a_persons(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    sender = "web-7c1d5b2f80a4c6e13e9a"
    outcome = await send_note(pipeline, store, "rest", sender)
    typed = [r.text for r in outcome.replies]  # the answer to the request itself (a privacy notice)
    transcriber = ScriptedTranscriber()
    transcriber.will_hear("hay un bache en la calle 10")
    await VoiceNotes(sessions, store, transcriber, Handed(pipeline)).pass_once()
    async with sessions() as session, session.begin():
        waiting, cursor = await message_rows.later_replies(session, "rest", sender, None)
    assert "Escuché: «hay un bache en la calle 10»" in [m.text for m in waiting]
    assert not set(typed) & {m.text for m in waiting}  # what the request answered is not sent twice
    async with sessions() as session, session.begin():
        await message_rows.later_replies(session, "rest", sender, cursor)
        again, _ = await message_rows.later_replies(session, "rest", sender, None)
    assert again == []  # the page has them


async def heard_note(pipeline: Pipeline, store: MediaStore, sessions: Sessions) -> tuple[str, int]:
    """A note sent and heard: its file's name, and its citizen."""
    await send_note(pipeline, store)
    transcriber = ScriptedTranscriber()
    transcriber.will_hear("mi nombre es Ana Rojas y vivo en la calle 10 numero 5")
    await VoiceNotes(sessions, store, transcriber, Handed(pipeline)).pass_once()
    found, _ = await rows(sessions)
    attachments = found[0].attachments or []
    name = name_of(attachments[0]["url"])
    assert name is not None and await store.exists(name)
    return name, found[0].citizen_id


async def nothing_said_is_left(sessions: Sessions) -> None:
    found, notes = await rows(sessions)
    assert all("Ana" not in m.text and "calle 10" not in m.text for m in found)
    assert all(not m.attachments for m in found)
    assert all(n.transcript is None for n in notes)


async def test_an_erased_citizens_notes_and_transcripts_are_gone(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    name, citizen_id = await heard_note(pipeline, store, sessions)
    async with sessions() as session, session.begin():
        erased = await erasure.erase_citizen(session, pipeline.settings, citizen_id, by="staff")
    await erasure.delete_media(store, erased.media)
    assert not await store.exists(name)
    await nothing_said_is_left(sessions)


async def test_retention_blanks_a_transcript_and_deletes_the_note(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    name, _ = await heard_note(pipeline, store, sessions)
    await retention.run(sessions, pipeline.settings, store, utcnow() + timedelta(days=3 * 365))
    assert not await store.exists(name)
    await nothing_said_is_left(sessions)


async def test_a_note_erased_before_it_was_heard_is_not_heard_nor_answered(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    await send_note(pipeline, store)
    async with sessions() as session, session.begin():
        citizen_id = await session.scalar(select(Citizen.id))
        assert citizen_id is not None
        await erasure.erase_citizen(session, pipeline.settings, citizen_id, by="citizen")
    transcriber = ScriptedTranscriber()
    handed = Handed(pipeline)
    await VoiceNotes(sessions, store, transcriber, handed).pass_once()
    assert transcriber.calls == 0 and handed.outcomes == []
    _, [note] = await rows(sessions)
    assert (note.status, note.outcome) == ("done", "gone")


def test_no_chat_can_take_a_transcripts_place_by_its_message_id() -> None:
    # A transcript's provider id is the note's and "#heard": were a web chat page able to send a message
    # with that id first, the pipeline would take the transcript for a replay of it. Its ids exclude "#";
    # Telegram's ("u<update id>") and Twilio's (signed SIDs) are not the sender's to choose.
    from connectors.errors import BadInput
    from connectors.rest.parser import parse_request

    forged = {
        "sender": "web-7c1d5b2f80a4c6e13e9a",
        "message": "hola",
        "metadata": {"message_id": f"n1{SUFFIX}"},
    }
    with pytest.raises(BadInput):
        parse_request(forged)


async def test_a_note_erased_while_it_was_being_heard_does_not_come_back(
    pipeline: Pipeline, store: MediaStore, sessions: Sessions
) -> None:
    await send_note(pipeline, store)

    class ErasedMeanwhile(ScriptedTranscriber):
        async def transcribe(self, audio: bytes) -> Heard:
            async with sessions() as session, session.begin():
                citizen_id = await session.scalar(select(Citizen.id))
                assert citizen_id is not None
                await erasure.erase_citizen(session, pipeline.settings, citizen_id, by="citizen")
            return Heard("heard", "soy Ana Rojas de la calle 10", "es", 0.9, 3.0)

    handed = Handed(pipeline)
    await VoiceNotes(sessions, store, ErasedMeanwhile(), handed).pass_once()
    assert handed.outcomes == []
    await nothing_said_is_left(sessions)
    _, [note] = await rows(sessions)
    assert (note.status, note.outcome) == ("done", "gone")
