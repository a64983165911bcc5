"""Every recorded Telegram update → the exact message for the pipeline, a refusal, or ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.messages import InboundMessage, Location, SharedContact
from connectors.phones import NotAPhoneNumber, normalise_phone
from connectors.telegram.legacy import NotAnUpdate, complete_legacy_fields, decode_update
from connectors.telegram.parser import Ignored, Incoming, Parsed, Refusal, RemoteFile, parse_update

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "telegram"
NOT_AN_UPDATE = "not an update"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def incoming(
    name: str,
    update_id: int,
    *,
    address: str = "12345678",
    display_name: str | None = "Name",
    files: tuple[RemoteFile, ...] = (),
    callback_query_id: str | None = None,
    **fields: Any,
) -> Incoming:
    message = InboundMessage(
        channel="telegram",
        address=address,
        provider_message_id=f"u{update_id}",
        display_name=display_name,
        raw=load(name),
        **fields,
    )
    return Incoming(message, files, callback_query_id)


ANA: dict[str, Any] = {"address": "987654321", "display_name": "Ana María Rojas"}

EXPECTED: dict[str, Parsed | str] = {
    # Captured Bot API 3.x updates.
    "edited_message.json": incoming("edited_message.json", 123456789, text="hi there (edited)"),
    "forwarded_message.json": incoming("forwarded_message.json", 123456789, text="message text"),
    "inline_query.json": NOT_AN_UPDATE,
    "message.json": incoming("message.json", 128526, text="Hi, world!", display_name="FirstName LastName"),
    "message_with_audio.json": incoming(
        "message_with_audio.json",
        123456789,
        files=(RemoteFile("CQADAgdwadgawd0ChI_rXPyrAg", "voice", "audio/mpeg3", 12345678),),
    ),
    "message_with_document.json": incoming(
        "message_with_document.json",
        123456789,
        text="doc description",
        files=(
            RemoteFile(
                "BQADAgADpgADy_JxS66XQTBRHFleAg",
                "document",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                21331,
            ),
        ),
    ),
    # A game is something a person sent: answered (the bot asks for words), not silently dropped.
    "message_with_game.json": incoming("message_with_game.json", 123456789),
    "message_with_invoice.json": NOT_AN_UPDATE,
    "message_with_location.json": incoming(
        "message_with_location.json", 123456789, location=Location(55.693416, 37.624605)
    ),
    "message_with_photo.json": incoming(
        "message_with_photo.json",
        123456789,
        text="photo description",
        files=(
            RemoteFile(
                "AgADAgADOagxG8vyeUvsltCem_XPv5A6Sw0ABNXULc5u7jny5VkRAAEC", "photo", "image/jpeg", 47844
            ),
        ),
    ),
    "message_with_sticker.json": incoming("message_with_sticker.json", 123456789),
    "message_with_successful_payment.json": Ignored("service message (payment, chat change, pin…)"),
    "message_with_video.json": incoming(
        "message_with_video.json",
        123456789,
        text="description",
        files=(RemoteFile("BAADAgpAADdawy_JxS72kRvV3cortAg", "video", "video/quicktime", 10099782),),
    ),
    "message_with_voice.json": incoming(
        "message_with_voice.json",
        123456789,
        files=(RemoteFile("AwADawAgADADy_JxS2gopIVIIxlhAg", "voice", "audio/ogg", 4321),),
    ),
    "pre_checkout_query.json": Ignored("update type pre_checkout_query is not handled"),
    "reply_message.json": incoming("reply_message.json", 123456789, text="Reply to quoted message"),
    "shipping_query.json": Ignored("update type shipping_query is not handled"),
    # Written in today's shape.
    "vt_callback_query.json": incoming(
        "vt_callback_query.json", 700000101, text="/affirm", callback_query_id="4382bfdwdsb323b2d9", **ANA
    ),
    "vt_contact_own.json": incoming(
        "vt_contact_own.json",
        700000102,
        contact=SharedContact("+573001234567", first_name="Ana María", belongs_to_sender=True),
        **ANA,
    ),
    "vt_contact_other.json": incoming(
        "vt_contact_other.json",
        700000103,
        contact=SharedContact("+573105551234", first_name="Don Jorge", belongs_to_sender=False),
        **ANA,
    ),
    "vt_group_message.json": Refusal(-1001234567890, "supergroup"),
    "vt_channel_post.json": Refusal(-1009876543210, "channel"),
    "vt_edited_message.json": incoming(
        "vt_edited_message.json",
        700000106,
        text="hay un bache enorme en la calle 10 # 4-20, frente a la panadería",
        **ANA,
    ),
    "vt_voice.json": incoming(
        "vt_voice.json",
        700000107,
        files=(RemoteFile("AwACAgEAAxkBAAIBVoice4sec", "voice", "audio/ogg", 7340),),
        **ANA,
    ),
    "vt_photo.json": incoming(
        "vt_photo.json",
        700000108,
        text="el poste está caído",
        files=(RemoteFile("AgACAgEAAxkBAAPhotoLarge", "photo", "image/jpeg", 81320),),
        **ANA,
    ),
    "vt_document_photo.json": incoming(
        "vt_document_photo.json",
        700000109,
        files=(RemoteFile("BQACAgEAAxkBAAPngAsFile", "photo", "image/png", 204800),),
        **ANA,
    ),
    "vt_venue.json": incoming(
        "vt_venue.json",
        700000110,
        location=Location(4.598056, -74.075833, address="Cra. 7 #11-10, Bogotá", label="Plaza de Bolívar"),
        **ANA,
    ),
    "vt_edited_live_location.json": Ignored("edit without text (a live location or a media swap)"),
    "vt_start.json": incoming("vt_start.json", 700000112, text="/start", **ANA),
    "vt_my_chat_member_blocked.json": Ignored("update type my_chat_member is not handled"),
}


def parse(data: Any) -> Parsed | str:
    try:
        update = decode_update(data)
    except NotAnUpdate:
        return NOT_AN_UPDATE
    assert update is not None
    return parse_update(update, data, phone_region="CO")


def test_every_fixture_has_an_expectation() -> None:
    on_disk = {path.name for path in FIXTURES.glob("*.json")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_parses_to_the_exact_result(name: str) -> None:
    assert parse(load(name)) == EXPECTED[name]


def test_parsing_does_not_change_the_payload() -> None:
    data = load("message_with_photo.json")
    parse(data)
    assert data == load("message_with_photo.json")  # `raw` keeps what Telegram sent, not our filling


@pytest.mark.parametrize("body", [[], "update", 7, {"update_id": "1"}, {"update_id": True}, {"message": {}}])
def test_json_that_is_not_an_update_is_named(body: Any) -> None:
    with pytest.raises(NotAnUpdate):
        decode_update(body)


def test_an_attachment_the_library_cannot_read_still_leaves_the_text() -> None:
    data = load("message.json")
    data["message"]["photo"] = "not a list of sizes"
    result = parse(data)
    assert isinstance(result, Incoming)
    assert result.message.text == "Hi, world!" and result.files == ()


def test_an_update_unreadable_even_leniently_is_none() -> None:
    assert decode_update({"update_id": 5, "message": {"chat": "nowhere"}}) is None


def test_legacy_fields_are_filled_without_touching_modern_ones() -> None:
    modern = load("vt_photo.json")
    assert complete_legacy_fields(modern) == modern
    old = complete_legacy_fields(load("message_with_sticker.json"))["message"]
    assert old["from"]["is_bot"] is False
    assert old["sticker"]["file_unique_id"] == old["sticker"]["file_id"]
    assert "is_bot" not in old["chat"]


def test_a_message_from_a_bot_and_an_inline_button_press_are_ignored() -> None:
    data = load("message.json")
    data["message"]["from"]["is_bot"] = True
    assert parse(data) == Ignored("message from a bot")
    press = load("vt_callback_query.json")
    del press["callback_query"]["message"]
    press["callback_query"]["inline_message_id"] = "AAAx"
    assert parse(press) == Ignored("button press on an inline-mode message")


def test_a_button_press_in_a_group_is_refused() -> None:
    press = load("vt_callback_query.json")
    press["callback_query"]["message"]["chat"] = {"id": -42, "type": "group", "title": "Junta"}
    assert parse(press) == Refusal(-42, "group")


def test_an_unusable_contact_number_is_left_out() -> None:
    data = load("vt_contact_other.json")
    data["message"]["contact"]["phone_number"] = "12"
    result = parse(data)
    assert isinstance(result, Incoming) and result.message.contact is None


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("573001234567", None, "+573001234567"),  # Telegram's own-number form: digits, no "+"
        ("+57 300 123 4567", "CO", "+573001234567"),
        ("300 123 4567", "CO", "+573001234567"),
        ("5491123456789", None, "+5491123456789"),  # Argentina's mobile 9 is kept
        ("541123456789", None, "+5491123456789"),  # …and added, as SMS and WhatsApp addresses have it
        ("011 15 2345 6789", "AR", "+5491123456789"),
        ("5215512345678", None, "+525512345678"),  # Mexico's old mobile 1 is dropped
        ("+34 612 34 56 78", "CO", "+34612345678"),
        ("12", None, None),
        ("", "CO", None),
        ("call me", "CO", None),
    ],
)
def test_phone_numbers_become_e164(number: str, region: str | None, expected: str | None) -> None:
    """The same normaliser as SMS and WhatsApp (connectors/phones.py), with Telegram's forms."""
    if expected is None:
        with pytest.raises(NotAPhoneNumber):
            normalise_phone(number, region)
    else:
        assert normalise_phone(number, region) == expected
