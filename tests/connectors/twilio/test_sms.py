"""SMS arithmetic: GSM 03.38 exactly, segment counts, and never a Body over Twilio's 1600 limit."""

from __future__ import annotations

import pytest

from connectors.twilio.sms import GSM7, GSM7_BASIC, UCS2, SmsCost, is_gsm7, sms_cost, split_text, utf16_length


def test_the_gsm_basic_table_has_its_127_printable_characters() -> None:
    assert len(GSM7_BASIC) == 127  # 128 positions, minus ESC


@pytest.mark.parametrize("char", list("ñÑéÉüÜàèìòù¿¡Ç"))
def test_spanish_characters_in_gsm7(char: str) -> None:
    assert is_gsm7(char)


@pytest.mark.parametrize("char", list("áíóúÁÍÓÚç«»“”😀"))
def test_characters_that_force_ucs2(char: str) -> None:
    assert not is_gsm7(char)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsCost(GSM7, 0, 0)),
        ("hola", SmsCost(GSM7, 4, 1)),
        ("¡Señor Müller! ¿Qué pasó?", SmsCost(UCS2, 25, 1)),  # the ó alone makes it UCS-2
        ("¡Señor Müller! ¿Qué pasa?", SmsCost(GSM7, 25, 1)),
        ("a" * 160, SmsCost(GSM7, 160, 1)),
        ("a" * 161, SmsCost(GSM7, 161, 2)),
        ("a" * 306, SmsCost(GSM7, 306, 2)),
        ("a" * 307, SmsCost(GSM7, 307, 3)),
        ("€" * 80, SmsCost(GSM7, 160, 1)),  # extension characters cost two septets
        ("aa" + "€" * 152, SmsCost(GSM7, 306, 3)),  # an escape pair never straddles two segments
        ("ó" * 70, SmsCost(UCS2, 70, 1)),
        ("ó" * 71, SmsCost(UCS2, 71, 2)),
        ("ó" * 134, SmsCost(UCS2, 134, 2)),
        ("ó" * 135, SmsCost(UCS2, 135, 3)),
        ("😀" * 35, SmsCost(UCS2, 70, 1)),
    ],
)
def test_encoding_and_segments(text: str, expected: SmsCost) -> None:
    assert sms_cost(text) == expected


def test_a_typical_spanish_reply_is_ucs2_and_short() -> None:
    reply = "Cuéntame qué pasa con «Alumbrado público», en pocas palabras."
    assert sms_cost(reply) == SmsCost(UCS2, len(reply), 1)


@pytest.mark.parametrize(
    "text",
    [
        "palabra " * 700,
        "línea corta\n" * 400,
        "x" * 5000,
        "😀" * 1700,
        "¿Cómo va? " * 300,
    ],
)
def test_long_texts_split_under_the_limit_and_lose_nothing(text: str) -> None:
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(0 < utf16_length(p) <= 1600 for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_split_prefers_line_breaks_then_spaces() -> None:
    text = ("a" * 1000) + "\n" + ("b " * 400)
    assert split_text(text)[0] == "a" * 1000
    assert split_text("short") == ["short"]
    assert split_text("  ") == []
