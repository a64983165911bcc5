"""The privacy notice: with the first reply to a new citizen on any channel, and once more when the city
changes it (`privacy.notice_version`). It comes first and asks nothing, so the turn's own last reply (a
report's question and its buttons) stays the last thing on the screen and nothing waits on the notice; a
turn that says nothing shows nothing, and an emergency's answer comes alone (the notice waits a turn).

Which version a citizen was shown, when and on which channel is a row of `privacy_notices`; the
conversation's state remembers the version too, so a turn after the first costs no query."""

from __future__ import annotations

from bot.turn import Reply, Turn
from storage import privacy_notices


def policy_url(turn: Turn) -> str:
    url = f"{turn.settings.server.public_url.rstrip('/')}/privacidad"
    return f"{url}?lang=en" if turn.language == "en" else url


async def add_if_due(turn: Turn) -> None:
    """Append the notice when this citizen has not been shown the current version."""
    version = turn.settings.privacy.notice_version
    if not turn.replies or turn.state.notice == version or turn.state.emergency:
        return
    citizen_id = turn.citizen.id
    if not await privacy_notices.was_shown(turn.session, citizen_id, version):
        notice = turn.settings.privacy.notice.get(turn.language).format(url=policy_url(turn))
        turn.replies.insert(0, Reply(notice))
        privacy_notices.shown(turn.session, citizen_id, version, turn.inbound.channel)
    turn.state.notice = version
