"""Recorded Twilio webhook forms, each parsed to the exact expected message; phones; bad forms."""

from __future__ import annotations

import pytest

from bot.messages import Attachment, InboundMessage, Location
from connectors.phones import NotAPhoneNumber, normalise_phone
from connectors.twilio.parser import MalformedForm, StatusUpdate, parse_message, parse_status
from tests.connectors.twilio.conftest import FIXTURES, load

MEDIA = "https://api.twilio.com/2010-04-01/Accounts/ACa1b2c3d4e5f60718293a4b5c6d7e8f90/Messages"
SMS_NUMBER, WHATSAPP_NUMBER = "+15017122661", "+14155238886"


def sms(sid: str, address: str, text: str, command: str | None = None) -> dict[str, object]:
    return dict(
        channel="sms",
        address=address,
        provider_message_id=sid,
        text=text,
        recipient=SMS_NUMBER,
        command=command,
    )


def whatsapp(sid: str, address: str, text: str, name: str, **more: object) -> dict[str, object]:
    return dict(
        channel="whatsapp",
        address=address,
        provider_message_id=sid,
        text=text,
        display_name=name,
        recipient=WHATSAPP_NUMBER,
        **more,
    )


EXPECTED: dict[str, dict[str, object]] = {
    "sms_spanish_text": sms(
        "SM5c1d2b8f0e9a4c7b8d6e5f4a3b2c1d0e", "+573001234567", "hay un poste de luz caído en la esquina"
    ),
    # Argentina: SMS without the mobile 9 is the same person as WhatsApp's +54 9 form.
    "sms_argentina_without_9": sms(
        "SM0a9b8c7d6e5f40312a1b2c3d4e5f6a7b", "+5491123456789", "Hola, quiero reportar un bache"
    ),
    "sms_stop": sms("SMf00dcafe0123456789abcdef01234567", "+573001234567", "STOP", "opt_out"),
    # BAJA is not Twilio's keyword: the dialogue pauses the citizen's topics and answers.
    "sms_baja": sms("SMbeefbeef0123456789abcdef01234567", "+573001234567", "¡Baja!"),
    "sms_start": sms("SM1234abcd0123456789abcdef01234567", "+573001234567", "START", "opt_in"),
    "whatsapp_text_profile": whatsapp(
        "SMd7a3c1e2f4b5061728394a5b6c7d8e9f", "+5491123456789", "¿Cómo va mi caso K7M-4QP?", "Mariana López"
    ),
    # Mexico: WhatsApp's old +52 1 mobile form is the same person as SMS's +52.
    "whatsapp_mexico_old_mobile": whatsapp(
        "SM6e5d4c3b2a1908f7e6d5c4b3a2918070", "+525512345678", "hay basura tirada en la calle", "Jorge"
    ),
    "whatsapp_image": whatsapp(
        "MM2f8e4d6c0b1a29384756a1b2c3d4e5f6",
        "+573001234567",
        "bache frente al colegio",
        "Ana María",
        attachments=(
            Attachment(
                url=f"{MEDIA}/MM2f8e4d6c0b1a29384756a1b2c3d4e5f6/Media/ME96a1c0f3b2d4e5f60718293a4b5c6d7e",
                content_type="image/jpeg",
                kind="photo",
            ),
        ),
    ),
    "whatsapp_voice_and_document": whatsapp(
        "MM7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e",
        "+573001234567",
        "",
        "Ana María",
        attachments=(
            Attachment(
                url=f"{MEDIA}/MM7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e/Media/ME0102030405060708090a0b0c0d0e0f10",
                content_type="audio/ogg",
                kind="voice",
            ),
            Attachment(
                url=f"{MEDIA}/MM7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e/Media/ME1112131415161718191a1b1c1d1e1f20",
                content_type="application/pdf",
                kind="document",
            ),
        ),
    ),
    "whatsapp_location": whatsapp(
        "SM9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49",
        "+573001234567",
        "",
        "Ana María",
        location=Location(
            latitude=4.6097102,
            longitude=-74.081749,
            address="Cra. 7 #32-16, Bogotá",
            label="Parque de la Independencia",
        ),
    ),
    # A quick-reply button: the payload is what the dialogue understands.
    "whatsapp_button_reply": whatsapp(
        "SM3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e", "+573001234567", "/affirm", "Ana María"
    ),
}


def test_every_inbound_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in (FIXTURES / "inbound").glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_parses_to_the_exact_message(name: str) -> None:
    form = load("inbound", name)
    assert parse_message(form, "CO") == InboundMessage(**EXPECTED[name], raw=form)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "sms_sent",
            StatusUpdate("SM11112222333344445555666677778888", "sent", None, "sms", "+573001234567"),
        ),
        (
            "whatsapp_delivered",
            StatusUpdate(
                "SM22223333444455556666777788889999", "delivered", None, "whatsapp", "+573001234567"
            ),
        ),
        (
            "whatsapp_read",
            StatusUpdate("SM22223333444455556666777788889999", "read", None, "whatsapp", "+573001234567"),
        ),
        (
            "sms_failed_unsubscribed",
            StatusUpdate("SM33334444555566667777888899990000", "failed", 21610, "sms", "+573001234567"),
        ),
        (
            "sms_undelivered",
            StatusUpdate("SM44445555666677778888999900001111", "undelivered", 30003, "sms", "+573001234567"),
        ),
    ],
)
def test_status_fixture_parses(name: str, expected: StatusUpdate) -> None:
    assert parse_status(load("status", name), "CO") == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+573001234567", "CO", "+573001234567"),
        ("300 123 4567", "CO", "+573001234567"),  # national form, read in the city's region
        ("+54 9 11 2345-6789", "CO", "+5491123456789"),
        ("+541123456789", "CO", "+5491123456789"),  # SMS without the mobile 9
        ("011 15-2345-6789", "AR", "+5491123456789"),  # national mobile form with 15
        ("+543514567890", "CO", "+5493514567890"),  # Córdoba
        ("+5215512345678", "CO", "+525512345678"),  # Mexico's old mobile 1
        ("+525512345678", "CO", "+525512345678"),
        ("+5218112345678", "MX", "+528112345678"),
        ("+34612345678", "CO", "+34612345678"),
        ("+56912345678", "CO", "+56912345678"),
        ("+51912345678", "CO", "+51912345678"),
    ],
)
def test_phone_numbers_have_one_form_across_sms_and_whatsapp(raw: str, region: str, expected: str) -> None:
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "12345", "Ventanilla", "+", "+57", "9" * 60, "+57300123456789012"])
def test_not_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(NotAPhoneNumber):
        normalise_phone(raw, "CO")


BASE = load("inbound", "sms_spanish_text")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"From": ""}, "From"),
        ({"From": None}, "From"),
        ({"From": "whatsapp:"}, "From"),
        ({"From": "whatsapp:hola"}, "From"),
        ({"From": "rcs:+573001234567"}, "From"),
        ({"From": "CIUDAD"}, "From"),
        ({"MessageSid": None, "SmsMessageSid": None}, "MessageSid"),
        ({"MessageSid": "SM 1; DROP TABLE", "SmsMessageSid": None}, "MessageSid"),
        ({"NumMedia": "x"}, "NumMedia"),
        ({"NumMedia": "99"}, "NumMedia"),
        ({"NumMedia": "1"}, "MediaUrl0"),
        ({"NumMedia": "1", "MediaUrl0": "javascript:alert(1)"}, "MediaUrl0"),
        ({"Latitude": "4.6"}, "Latitude/Longitude"),
        ({"Latitude": "91", "Longitude": "0"}, "Latitude/Longitude"),
        ({"Latitude": "nan", "Longitude": "0"}, "Latitude/Longitude"),
        ({"Latitude": "norte", "Longitude": "sur"}, "Latitude/Longitude"),
    ],
)
def test_malformed_forms_name_the_field(change: dict[str, str | None], field: str) -> None:
    form = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    with pytest.raises(MalformedForm) as raised:
        parse_message(form, "CO")
    assert raised.value.detail == field


@pytest.mark.parametrize(
    ("body", "opt_out_type", "command"),
    [
        ("STOP", "", "opt_out"),
        ("stop.", "", "opt_out"),
        ("Darme de baja", "", None),  # the dialogue's BAJA: topics paused, one reply
        ("alta", "", None),
        ("UNSUBSCRIBE", "", "opt_out"),
        ("parar", "STOP", "opt_out"),  # Twilio decided (its Advanced Opt-Out keywords)
        ("start", "", "opt_in"),
        ("YES", "START", "opt_in"),
        ("cancelar", "", None),  # "cancel the report", not "unsubscribe me"
        ("cancel", "", None),
        ("yes", "", None),
        ("sí", "", None),
        ("hay un poste que no para de parpadear, stop", "", None),
        ("help", "HELP", None),
    ],
)
def test_opt_out_and_opt_in(body: str, opt_out_type: str, command: str | None) -> None:
    form = {**BASE, "Body": body, "OptOutType": opt_out_type}
    assert parse_message(form, "CO").command == command


def test_on_whatsapp_only_twilios_own_signal_is_a_command() -> None:
    whatsapp = {**BASE, "From": "whatsapp:+573001234567", "To": "whatsapp:+14155238886"}
    assert parse_message({**whatsapp, "Body": "STOP"}, "CO").command is None  # the dialogue answers it
    assert parse_message({**whatsapp, "Body": "STOP", "OptOutType": "STOP"}, "CO").command == "opt_out"


def test_status_without_a_readable_recipient_still_counts() -> None:
    update = parse_status({"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"}, "CO")
    assert update == StatusUpdate("SM" + "a" * 32, "delivered")
    with pytest.raises(MalformedForm):
        parse_status({"MessageSid": "SM" + "a" * 32, "MessageStatus": "<b>"}, "CO")
    with pytest.raises(MalformedForm):
        parse_status({"MessageSid": "SM" + "a" * 32, "MessageStatus": "failed", "ErrorCode": "x"}, "CO")
