"""'Descargar mis datos': a one-time link to a zip of everything about the citizen (issue 15).

The link is a turn's reply, so it goes only to the channel and address that asked, which are this
citizen's. A new link voids the earlier unused ones (one live link at a time); a few a day is plenty.
The zip is made when the link is opened (connectors/my_data_download.py) or a supervisor downloads it
from the citizen's profile (inbox/routes/citizen_export.py), from what is held at that moment."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import data_requests, export_zip
from bot.export_link import in_words, new_token, url_of
from bot.report_questions import back_to_report
from bot.settings import Settings
from bot.turn import Turn
from storage import citizen_data, data_exports
from storage.engine import AsyncSession
from storage.media import MediaStore
from storage.models import DataExport, DataRequestKind, DataRequestStatus, utcnow

LINKS_A_DAY = 5  # a sixth is refused politely: the earlier link of today is still in the chat


def start_of_day(settings: Settings, now: datetime) -> datetime:
    """Midnight of `now`'s day in the city, as an aware datetime."""
    local = now.astimezone(settings.city.zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def give_link(turn: Turn) -> None:
    """Record the request, make the link and say it, with when it expires and what it holds; then the
    pending question of a report, if one was being filed."""
    session, settings, now = turn.session, turn.settings, utcnow()
    if await data_exports.made_since(session, turn.citizen.id, start_of_day(settings, now)) >= LINKS_A_DAY:
        turn.say("export_enough_today")
    else:
        token = await new_link(session, settings, turn.citizen.id, turn.inbound.channel, now=now)
        expires = now + timedelta(hours=settings.privacy.export_link_hours)
        turn.say("export_link", url=url_of(settings, token), when=in_words(expires, settings, turn.language))
    await back_to_report(turn)  # asked in the middle of a report: its question again, nothing lost


async def new_link(
    session: AsyncSession, settings: Settings, citizen_id: int, channel: str, *, now: datetime
) -> str:
    """A fresh link's token (shown once, never stored), its request recorded as answered."""
    request = await data_requests.record(
        session, settings, citizen_id, DataRequestKind.EXPORT, channel, status=DataRequestStatus.DONE, now=now
    )
    await data_exports.void_unused(session, citizen_id, now)
    token = new_token()
    await data_exports.add(
        session,
        DataExport(
            token_hash=data_exports.token_hash(token),
            citizen_id=citizen_id,
            request_id=request.id,
            expires_at=now + timedelta(hours=settings.privacy.export_link_hours),
            created_at=now,
        ),
    )
    return token


async def zip_of(
    session: AsyncSession, store: MediaStore, settings: Settings, citizen_id: int, *, now: datetime
) -> bytes | None:
    """The citizen's zip as held now (None: no such citizen, or erased). The media store being down raises its
    OSError: the caller gives the link back and answers "try again"."""
    data = await citizen_data.of_citizen(session, citizen_id)
    if data is None or data.citizen.erased_at is not None:  # an erased citizen's placeholder is nobody's
        return None
    photos = export_zip.Photos()
    for name in export_zip.photo_names(data):
        stored = await store.get(name)
        photos.add(name, stored.data if stored is not None else None)
    return export_zip.build(data, photos, settings, now)
