"""Plain variants of the bot's texts (issue 19), for citizens who find the chat hard: short sentences,
common words, one idea a line. Same keys and {placeholders} as bot.texts.TEXTS, never longer than the
original; `Turn.t` picks them when storage.preferential.wants_plain holds for the citizen."""

from __future__ import annotations

from typing import Any

PLAIN: dict[str, dict[str, str]] = {
    "greeting": {
        "es": "¡Hola! Soy el asistente de {city}.\nPuedo registrar un problema.\n"
        "Puedo decirte cómo va tu caso.",
        "en": "Hi! I'm the {city} assistant.\nI can file a problem.\nI can tell you how your case is going.",
    },
    "menu": {"es": "¿Qué necesitas?", "en": "How can I help?"},
    "help": {
        "es": "Puedo:\n• registrar un problema\n• decirte cómo va tu caso\n• responder preguntas\n"
        "• pasarte con una persona\nEscribe «menú» cuando quieras.",
        "en": "I can:\n• file a problem\n• tell you how your case is going\n• answer questions\n"
        '• put you through to a person\nType "menu" at any time.',
    },
    "clarify": {"es": "No te entendí. ¿Es alguna de estas?", "en": "I didn't get it. Is it one of these?"},
    "offer_person": {
        "es": "No te entiendo.\n¿Quieres hablar con una persona?",
        "en": "I don't understand.\nDo you want a person?",
    },
    "frustration": {
        "es": "Lo siento.\n¿Quieres hablar con una persona?",
        "en": "I'm sorry.\nDo you want a person?",
    },
    "handoff": {
        "es": "Te paso con una persona.\nTe responde aquí mismo.",
        "en": "A person will help you.\nThey will reply here.",
    },
    "ask_service": {"es": "¿Qué problema hay?", "en": "What is the problem?"},
    "ask_description": {"es": "¿Qué pasa con «{service}»?", "en": "What is wrong ({service})?"},
    "ask_location": {
        "es": "¿Dónde es?\nEscribe la dirección.\nO envía tu ubicación.",
        "en": "Where is it?\nType the address.\nOr share your location.",
    },
    "ask_photo": {
        "es": "¿Tienes una foto?\nEnvíala, o elige «Omitir».",
        "en": 'Do you have a photo?\nSend it, or choose "Skip".',
    },
    "location_nudge": {
        "es": "¿Dónde es?\nEscribe la dirección o envía tu ubicación.\nO elige «Omitir».",
        "en": 'Where is it?\nType the address or share your location.\nOr choose "Skip".',
    },
    "photo_nudge": {
        "es": "Envía la foto aquí 📷.\nO elige «Omitir».",
        "en": 'Send the photo here 📷.\nOr choose "Skip".',
    },
    "description_too_short": {
        "es": "Cuéntame un poco más.\n¿Qué pasa?",
        "en": "Tell me a bit more.\nWhat is wrong?",
    },
    "confirm_again": {
        "es": "No te entendí.\n¿Lo registro? Responde sí o no:",
        "en": "I didn't get it.\nFile it? Answer yes or no:",
    },
    "filed": {
        "es": "✅ Listo. Tu código es {code}.\nEscríbelo para saber cómo va.",
        "en": "✅ Done. Your code is {code}.\nSend it to see how it goes.",
    },
    "cancelled": {
        "es": "Listo, cancelado.\nNo se registró nada.",
        "en": "Done, cancelled.\nNothing was filed.",
    },
    "case_not_found": {
        "es": "No encuentro el caso {code}.\nLos códigos son así: {example}.",
        "en": "I can't find case {code}.\nCodes look like {example}.",
    },
    "no_open_cases": {
        "es": "No tienes casos abiertos.\nDame un código y te digo cómo va.",
        "en": "You have no open cases.\nGive me a code to check.",
    },
    "not_a_code": {
        "es": "Eso no es un código.\nSon así: {example}.",
        "en": "That is not a code.\nCodes look like {example}.",
    },
    "case_status": {
        "es": "Caso {code} ({service}): {status}.\nCambió el {updated}.",
        "en": "Case {code} ({service}): {status}.\nUpdated {updated}.",
    },
    "publish_ask": {
        "es": "¿Publicamos lo que escribiste, sin tus datos?",
        "en": "May we publish it, without your details?",
    },
    "publish_yes": {
        "es": "Gracias. Se publica sin tus datos.",
        "en": "Thanks. It goes out without your details.",
    },
    "publish_no": {"es": "Listo, no se publica.", "en": "OK, it stays private."},
    "thanks": {"es": "¡Con gusto! ¿Algo más?", "en": "You're welcome! Anything else?"},
    "goodbye": {"es": "¡Chao! Aquí estoy.", "en": "Bye! I'm here."},
    "preferential_offer": {
        "es": "¿Quieres atención preferencial?\nTus casos se atienden primero.",
        "en": "Do you want priority attention?\nYour cases go first.",
    },
    "preferential_declined": {"es": "Entendido.\n¿En qué más te ayudo?", "en": "OK.\nHow else can I help?"},
    "preferential_which": {"es": "Claro. ¿Por qué motivo?", "en": "Sure. What is the reason?"},
    "preferential_already": {
        "es": "Ya tienes atención preferencial.",
        "en": "You already have priority attention.",
    },
    "preferential_withdrawn": {
        "es": "Listo. Ya no tienes atención preferencial.",
        "en": "Done. Priority attention is off.",
    },
    "preferential_none": {
        "es": "No tenías atención preferencial.",
        "en": "You didn't have priority attention.",
    },
}


def plain_text(key: str, language: str, **values: Any) -> str | None:
    """The plain variant of `key` in `language`, filled in; None when there is none."""
    entry = PLAIN.get(key)
    if entry is None:
        return None
    template = entry.get(language) or entry["es"]
    return template.format(**values) if values else template
