"""The privacy notice: with the first reply to a new citizen on any channel, and once more when the city
changes it (`privacy.notice_version`). It follows the turn's own replies, so it never stands between a
citizen and an answer (an emergency number, a report's question); a turn that says nothing shows nothing.

Which version a citizen was shown, when and on which channel is a row of `privacy_notices`; the
conversation's state remembers the version too, so a turn after the first costs no query."""

from __future__ import annotations

from bot.turn import Turn
from storage import privacy_notices


def policy_url(turn: Turn) -> str:
    url = f"{turn.settings.server.public_url.rstrip('/')}/privacidad"
    return f"{url}?lang=en" if turn.language == "en" else url


async def add_if_due(turn: Turn) -> None:
    """Append the notice when this citizen has not been shown the current version."""
    version = turn.settings.privacy.notice_version
    if not turn.replies or turn.state.notice == version:
        return
    citizen_id = turn.citizen.id
    if not await privacy_notices.was_shown(turn.session, citizen_id, version):
        choices = turn.state.choices  # the notice has no buttons: the last choices offered still count
        turn.say_text(turn.settings.privacy.notice.get(turn.language).format(url=policy_url(turn)))
        turn.state.choices = choices
        privacy_notices.shown(turn.session, citizen_id, version, turn.inbound.channel)
    turn.state.notice = version
