"""Mail as the common clients write it (tests/fixtures/email/), parsed to the exact message the pipeline
gets: the sender lowercased, the Message-ID, only what the citizen wrote this time, the thread's subject."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.messages import InboundMessage
from connectors.email.parser import NotAMail, base_subject, parse_mail
from connectors.email.quotes import fresh_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "email"
CITY = "atencion@ciudad.test"

# fixture → (address, Message-ID, text, base subject, earlier Message-IDs)
EXPECTED = {
    "gmail_reply_es": (
        "maria.gonzalez@correo.test",
        "<CAOx1zQ+2vb7@mail.correo.test>",
        "Ya lo arreglaron? sigue igual, hoy se cayo otra moto",
        "Hueco en la calle 45",
        ("<ventanilla.8f1c2a@ciudad.test>",),
    ),
    "outlook_reply_es": (
        "jperez@municipio-vecino.test",
        "<DM6PR01MB1234ABCD@DM6PR01MB1234.namprd01.prod.outlook.test>",
        # "Saludos, Juan" is a closing, not part of what is reported.
        "Che, la luminaria de la esquina de Corrientes y Medrano sigue apagada, fijate vos.",
        "Luminaria apagada",
        ("<ventanilla.aa11@ciudad.test>",),
    ),
    "apple_mail_en": (
        "tom@example.test",
        "<5D3E1A2B-77C1-4F0E-9E0C-1A2B3C4D5E6F@example.test>",
        "yes, it is in front of the school on 5th avenue",
        "Pothole",
        ("<ventanilla.b1@ciudad.test>", "<ventanilla.b2@ciudad.test>"),
    ),
    "thunderbird_signature_mx": (
        "lupita@correo.test",
        "<0a1b2c3d-4e5f@correo.test>",
        "Buenas, ahí en la esquina de mi casa llevan 3 días sin recoger la basura,\nya huele re feo",
        "basura en la esquina",
        (),
    ),
    "outlook_original_message_en": (
        "ann.smith@example.test",
        "<BN8PR12MB0001@example.test>",
        "how is my case going?",
        "Streetlight",
        (),
    ),
    "html_only_pe": (
        "rosa.quispe@correo.test",
        "<html-only-1@correo.test>",
        "Se cayó un árbol en el jirón Puno, está tapando la pista",  # the closing "Gracias" goes too
        "Árbol caído",
        (),
    ),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_a_recorded_mail_becomes_the_message_the_pipeline_gets(name: str) -> None:
    address, header_id, text, subject, earlier = EXPECTED[name]
    mail = parse_mail((FIXTURES / f"{name}.eml").read_bytes(), CITY)
    assert mail.automatic is None
    assert (mail.message.channel, mail.message.address) == ("email", address)
    assert mail.message.provider_message_id == mail.header_id == header_id
    assert mail.message.text == text
    assert (mail.subject, mail.earlier_ids) == (subject, earlier)
    assert mail.message.recipient == CITY
    assert isinstance(mail.message, InboundMessage) and mail.images == ()


def test_an_out_of_office_reply_is_recognised_and_its_text_not_read() -> None:
    mail = parse_mail((FIXTURES / "vacation_autoreply.eml").read_bytes(), CITY)
    assert mail.automatic == "auto-reply" and mail.message.text == ""


def test_the_same_mail_without_a_message_id_gets_the_same_id_twice() -> None:
    raw = b"From: a@correo.test\r\nSubject: x\r\n\r\nhay un bache\r\n"
    first, second = parse_mail(raw, CITY), parse_mail(raw, CITY)
    assert first.header_id == second.header_id and first.header_id.startswith("<sha256-")
    assert parse_mail(raw + b"!", CITY).header_id != first.header_id


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: sin remitente\r\n\r\nhola\r\n",
        b"From: Ana\r\n\r\nhola\r\n",
        b"From: <>\r\n\r\nhola\r\n",
        b"From: " + b"a" * 300 + b"@correo.test\r\n\r\nhola\r\n",
        b"",
    ],
    ids=["no From", "a name only", "empty address", "longer than an identity holds", "empty"],
)
def test_a_mail_with_no_address_to_answer_is_not_a_message(raw: bytes) -> None:
    with pytest.raises(NotAMail):
        parse_mail(raw, CITY)


@pytest.mark.parametrize(
    ("subject", "base"),
    [
        ("Re: Bache", "Bache"),
        ("RE: RV: Fwd: Bache", "Bache"),
        ("Re: Bache [Caso AB12CD]", "Bache"),
        ("Re: [Case AB12CD] Streetlight", "Streetlight"),
        ("AW: Re[2]: Bache", "Bache"),
        ("   ", ""),
    ],
)
def test_the_thread_subject_drops_reply_prefixes_and_our_case_tag(subject: str, base: str) -> None:
    assert base_subject(subject) == base


@pytest.mark.parametrize(
    ("body", "fresh"),
    [
        ("hay un bache\n\nOn Mon, Dec 7, 2026 at 10:00 AM Ciudad <a@b> wrote:\n> hola", "hay un bache"),
        ("si\n\nEl lun, 7 dic 2026 a las 10:00, Ciudad <a@b>\nescribió:\n> hola", "si"),
        ("dale\nEl 7/12/2026 a las 10:00, Ciudad escribio:\n> hola", "dale"),
        ("1\n-----Mensaje original-----\nDe: Ciudad", "1"),
        ("2\n\nDe: Ciudad <a@b>\nEnviado el: lunes\nPara: yo", "2"),
        ("calle 10\n> ¿Dónde es?\nfrente al parque", "calle 10\nfrente al parque"),
        ("listo\n--\nAna", "listo"),
        ("ok gracias\n\nEnviado desde mi iPhone", "ok gracias"),
        ("thanks\n\nSent from my Galaxy", "thanks"),
        ("De nada sirve reclamar, el bache sigue", "De nada sirve reclamar, el bache sigue"),
        (
            "Buenas,\n\nhay un arbol caido en la calle 45.\n\nAtentamente,\nMaría López",
            "Buenas,\n\nhay un arbol caido en la calle 45.",
        ),
        ("The light is out on 5th Ave.\n\nBest regards,\nJohn Smith", "The light is out on 5th Ave."),
        (
            "hay un bache\ngracias\nesta en la esquina del colegio",
            "hay un bache\ngracias\nesta en la esquina del colegio",
        ),
    ],
    ids=[
        "gmail en",
        "gmail es wrapped",
        "no accent",
        "original message",
        "outlook es",
        "inline quote",
        "signature",
        "iphone",
        "galaxy",
        "a line that starts like Outlook's",
        "a closing and a name",
        "an English closing",
        "thanks mid-message, then more",
    ],
)
def test_quoted_text_and_signatures_are_stripped(body: str, fresh: str) -> None:
    assert fresh_text(body) == fresh
