"""Addresses shown to a citizen masked ("WhatsApp ••4567"): enough to recognise their own, too little to
be of use to someone reading over their shoulder or holding their phone."""

from __future__ import annotations

from connectors.channels import channel

MASK = "••"
PHONE_DIGITS = 4  # the last four digits of a phone number, as banks and carriers show them
ID_DIGITS = 2  # a chat id is nobody's to recognise by more than its end


def masked(address: str, shown: int = PHONE_DIGITS) -> str:
    """The address's last characters after the mask: at most `shown` (never more than 4), and never more
    than half of a short one, so a short id shows less and an id of one character shows nothing."""
    kept = [c for c in address if c.isalnum()]
    count = min(shown, PHONE_DIGITS, len(kept) // 2)
    return MASK + "".join(kept[len(kept) - count :])


def masked_email(email: str) -> str:
    """ "a••@example.org": the first letter and the domain."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}{MASK}{at}{domain}" if at else masked(email)


def channel_address(name: str, address: str) -> str | None:
    """How an identity's address is shown on its channel: a phone's last digits, a chat id's last two;
    None where the address is only a random id the citizen never sees (the web chat)."""
    found = channel(name)
    if found.phone:
        return masked(address, PHONE_DIGITS)
    if found.synchronous:
        return None
    return masked(address, ID_DIGITS)
