"""Every text the bot says, in Spanish and English; short, because many citizens read them on SMS."""

from __future__ import annotations

from typing import Any

from connectors.channels import UNKNOWN, channel

TEXTS: dict[str, dict[str, str]] = {
    "greeting": {
        "es": (
            "¡Hola! Soy el asistente de {city}. Puedo registrar un reporte, decirte cómo va tu caso o "
            "responder preguntas sobre trámites y horarios."
        ),
        "en": (
            "Hi! I'm the {city} assistant. I can file a report, tell you how your case is going or answer "
            "questions about procedures and opening hours."
        ),
    },
    "menu": {
        "es": "¿En qué te ayudo?",
        "en": "How can I help?",
    },
    "help": {
        "es": (
            "Puedo:\n• registrar un reporte (baches, alumbrado, basura, agua…)\n"
            "• decirte el estado de tu caso (escribe su código)\n"
            "• responder preguntas sobre trámites, horarios y pagos (pregunta como quieras)\n"
            "• pasarte con una persona\n"
            "• enviarte avisos y encuestas de la ciudad, si los pides (escribe «avisos»)\n"
            "Escribe «menú» o «cancelar» cuando quieras."
        ),
        "en": (
            "I can:\n• file a report (potholes, streetlights, trash, water…)\n"
            "• tell you your case's status (type its code)\n"
            "• answer questions about procedures, opening hours and payments (just ask)\n"
            "• put you through to a person\n"
            '• send you the city\'s alerts and surveys, if you ask (type "alerts")\n'
            'Type "menu" or "cancel" at any time.'
        ),
    },
    "goodbye": {"es": "¡Hasta pronto! Aquí estaré si me necesitas.", "en": "Bye! I'm here if you need me."},
    "thanks": {"es": "¡Con gusto! ¿Algo más?", "en": "You're welcome! Anything else?"},
    "out_of_scope": {
        "es": (
            "Eso no lo puedo resolver por aquí. Atiendo reportes de problemas de la ciudad, su estado y "
            "preguntas sobre trámites de la alcaldía."
        ),
        "en": (
            "I can't help with that here. I handle reports of city problems, their follow-up and questions "
            "about the city's procedures."
        ),
    },
    "cancelled": {
        "es": "Listo, lo cancelé. No se registró nada.",
        "en": "Done, cancelled. Nothing was filed.",
    },
    "nothing_to_cancel": {"es": "No hay nada en curso.", "en": "There's nothing in progress."},
    "clarify": {
        "es": "No estoy seguro de entenderte. ¿Te refieres a…?",
        "en": "I'm not sure I follow. Do you mean…?",
    },
    "offer_person": {
        "es": "Perdona, no logro entenderte. ¿Quieres hablar con una persona?",
        "en": "Sorry, I can't understand. Would you like to talk to a person?",
    },
    "handoff": {
        "es": "Te paso con una persona del equipo. Te responderá por este mismo chat en cuanto pueda.",
        "en": "I'm passing you to a person on our team. They'll reply in this chat as soon as they can.",
    },
    "left_queue": {
        "es": "Listo, saliste de la fila de espera. Sigo yo.",
        "en": "Done, you left the queue. I'll take it from here.",
    },
    "ask_service": {"es": "¿Qué quieres reportar?", "en": "What would you like to report?"},
    "ask_description": {
        "es": "Cuéntame qué pasa con «{service}», en pocas palabras.",
        "en": "Tell me briefly what's wrong ({service}).",
    },
    "description_too_short": {
        "es": "Necesito un poco más de detalle. ¿Qué pasa exactamente?",
        "en": "I need a bit more detail. What exactly is wrong?",
    },
    "ask_location": {
        "es": "¿Dónde es? Escribe la dirección o un punto de referencia, o envía tu ubicación.",
        "en": "Where is it? Type the address or a landmark, or share your location.",
    },
    "ask_photo": {
        "es": "¿Tienes una foto? Envíala ahora, o elige «Omitir».",
        "en": 'Do you have a photo? Send it now, or choose "Skip".',
    },
    "photo_received": {"es": "Recibí la foto. 📷", "en": "Got the photo. 📷"},
    "confirm": {
        "es": "Voy a registrar:\n• {service}\n• {description}\n• Lugar: {place}{photo}\n¿Lo confirmo?",
        "en": "I'll file:\n• {service}\n• {description}\n• Place: {place}{photo}\nShall I confirm?",
    },
    "confirm_photo": {"es": "\n• Con foto", "en": "\n• With photo"},
    "place_pin": {
        "es": "ubicación enviada ({lat:.5f}, {lon:.5f})",
        "en": "shared location ({lat:.5f}, {lon:.5f})",
    },
    "place_none": {"es": "sin dirección", "en": "no address"},
    "confirm_again": {
        "es": "No te entendí. ¿Lo registro? Responde sí o no:",
        "en": "I didn't get that. Shall I file it? Answer yes or no:",
    },
    "filed": {
        "es": "✅ Registrado. Tu código es {code}. Escríbelo cuando quieras saber cómo va.",
        "en": "✅ Filed. Your code is {code}. Send it any time to see how it's going.",
    },
    "case_status": {
        "es": "Caso {code} ({service}): {status}. Actualizado el {updated}.",
        "en": "Case {code} ({service}): {status}. Updated {updated}.",
    },
    "case_not_found": {
        "es": "No encuentro el caso {code}. Revisa el código (se ven así: {example}).",
        "en": "I can't find case {code}. Please check the code (they look like {example}).",
    },
    "open_cases": {"es": "Tus casos abiertos:", "en": "Your open cases:"},
    "open_case_line": {"es": "• {code} — {service}: {status}", "en": "• {code} — {service}: {status}"},
    "no_open_cases": {
        "es": "No tienes casos abiertos. Si me das el código de un caso, te digo cómo va.",
        "en": "You have no open cases. Give me a case code and I'll tell you how it's going.",
    },
    "too_long": {
        "es": "Tu mensaje es muy largo para mí. ¿Me lo resumes en menos de {limit} caracteres?",
        "en": "Your message is too long for me. Could you sum it up in under {limit} characters?",
    },
    "set_aside": {
        "es": "Tuve un problema al leer tu mensaje. Lo guardé y una persona del equipo lo leerá y te "
        "responderá por aquí.",
        "en": "I had a problem reading your message. I kept it, and a person from the team will read it "
        "and answer you here.",
    },
    "too_fast": {
        "es": "Recibí muchos mensajes seguidos. Los guardé todos; espera un momento antes de seguir.",
        "en": "I got many messages in a row. I kept them all; please wait a moment before going on.",
    },
    "unreadable": {
        "es": "Solo puedo leer texto, fotos y ubicaciones. ¿Me lo escribes?",
        "en": "I can only read text, photos and locations. Could you type it?",
    },
    "phone_linked": {
        "es": "Gracias, vinculé tu número. Verás aquí también los casos que reportaste por SMS o WhatsApp.",
        "en": "Thanks, your number is linked. You'll see here the cases you reported by SMS or WhatsApp too.",
    },
    "link_code": {
        "es": "Tu código es {code}. En el otro canal escribe «vincular {code}» (vale {minutes} min). "
        "Aquí te pediré confirmar.",
        "en": 'Your linking code is {code}. On the other channel, type "link {code}" (valid {minutes} min). '
        "I'll ask you here to confirm.",
    },
    "link_waiting": {
        "es": "Te pregunté en el canal donde pediste el código. Confírmalo allí y uno los chats.",
        "en": "I asked on the channel where you got the code. Confirm there and I'll join the chats.",
    },
    "link_confirm": {
        "es": "Alguien escribió tu código de vinculación desde {channel}. ¿Unir ese chat a tu conversación? "
        "Si no fuiste tú, responde no.",
        "en": "Someone typed your linking code on {channel}. Join that chat to your conversation? "
        "If it wasn't you, answer no.",
    },
    "linked_owner": {
        "es": "Listo, uní {channel} a tu conversación: tu historial y tus casos son uno solo.",
        "en": "Done, {channel} is joined to your conversation: one history, one set of cases.",
    },
    "linked": {
        "es": "Listo, vinculé este chat con tu otro canal: tu historial y tus casos son uno solo.",
        "en": "Done, this chat is linked to your other channel: one history, one set of cases.",
    },
    "linked_already": {
        "es": "Ese código es de esta misma conversación: no hay nada que unir.",
        "en": "That code belongs to this very conversation: there is nothing to join.",
    },
    "link_refused": {
        "es": "Listo, no uní nada y anulé el código.",
        "en": "OK, nothing was joined and the code is void.",
    },
    "link_not_confirmed": {
        "es": "La vinculación no fue confirmada. Si eras tú, pide un código nuevo.",
        "en": "The link was not confirmed. If it was you, ask for a new code.",
    },
    "link_expired": {
        "es": "Ese pedido de vinculación ya venció. Pide un código nuevo escribiendo «vincular».",
        "en": 'That link request has expired. Ask for a new code by typing "link".',
    },
    "bad_link_code": {
        "es": "Ese código no es válido o ya venció. Pide uno nuevo escribiendo «vincular» en el otro canal.",
        "en": 'That code is wrong or expired. Ask for a new one by typing "link" on the other channel.',
    },
    "link_too_many": {
        "es": "Demasiados códigos equivocados desde este chat. Espera una hora y pide un código nuevo.",
        "en": "Too many wrong codes from this chat. Wait an hour and ask for a new code.",
    },
    "link_paused": {
        "es": "La vinculación de canales está en pausa unos minutos. Intenta más tarde.",
        "en": "Joining channels is paused for a few minutes. Please try again later.",
    },
    "button_link_yes": {"es": "Sí, unir", "en": "Yes, join"},
    "button_link_no": {"es": "No, no unir", "en": "No, don't"},
    "cannot_listen": {
        "es": "Recibí tu audio, pero aún no puedo escucharlo. ¿Me lo escribes?",
        "en": "I got your voice note, but I can't listen yet. Could you type it?",
    },
    # Voice notes heard on this machine (issue 18, bot/voice_dialogue.py).
    "voice_heard": {"es": "Escuché: «{heard}»", "en": "I heard: “{heard}”"},  # the summary says "Entendí"
    "voice_unheard": {
        "es": "No logré entender bien tu audio. ¿Me lo escribes? Si prefieres, te paso con una persona.",
        "en": "I couldn't make out your voice note. Could you type it? Or I can put you through to a person.",
    },
    "share_contact_offer": {
        "es": "Si reportaste por SMS o WhatsApp, comparte tu número y veré esos casos aquí.",
        "en": "If you reported by SMS or WhatsApp, share your number and I'll find those cases here.",
    },
    "button_share_contact": {"es": "Compartir mi número", "en": "Share my number"},
    # Understanding a citizen who does not follow the script (bot/dialogue.py's rules).
    "understood": {"es": "Entendí: {service}.", "en": "Got it: {service}."},
    "understood_place": {"es": "Entendí: {service}, en {place}.", "en": "Got it: {service}, at {place}."},
    "two_problems": {
        "es": "Veo dos problemas: {first} y {second}. Registro primero el primero; luego te pregunto "
        "por el otro.",
        "en": "I see two problems: {first} and {second}. Let's file the first; then I'll ask about "
        "the other.",
    },
    "publish_ask": {
        "es": "¿Podemos publicar tu descripción, sin tus datos?",
        "en": "May we publish your description, without your details?",
    },
    "publish_ask_many": {
        "es": "¿Podemos publicar las descripciones de {codes}, sin tus datos?",
        "en": "May we publish the descriptions of {codes}, without your details?",
    },
    "publish_yes": {
        "es": "Gracias. Se publicará sin tus datos.",
        "en": "Thanks. It will be published without your details.",
    },
    "publish_no": {"es": "Entendido, no se publicará.", "en": "OK, it won't be published."},
    "unpublished": {
        "es": "Listo: no publicaremos la descripción de tus reportes.",
        "en": "Done: we won't publish your reports' descriptions.",
    },
    "next_not_filed": {"es": "Listo, no registro el otro.", "en": "OK, I won't file the other one."},
    "offer_next": {
        "es": "¿Registro ahora el otro problema ({service})?",
        "en": "Shall I file the other problem now ({service})?",
    },
    "next_declined": {
        "es": "Listo, no registro el otro. ¿Algo más?",
        "en": "OK, I won't file the other one. Anything else?",
    },
    "safety_wire": {
        "es": "⚠️ No toques el cable ni te acerques; si echa chispas, llama al {numbers}.",
        "en": "⚠️ Don't touch the cable or go near it; if it sparks, call {numbers}.",
    },
    "safety_manhole": {
        "es": "⚠️ Si puedes, señaliza el hueco con algo visible y aleja a los niños.",
        "en": "⚠️ If you can, mark the hole with something visible and keep children away.",
    },
    "emergency_offer": {
        "es": "¿Quieres que también te atienda una persona del equipo?",
        "en": "Would you also like a person on our team to help you?",
    },
    "frustration": {
        "es": "Lamento la molestia. ¿Quieres que te atienda una persona del equipo?",
        "en": "I'm sorry about this. Would you like a person on our team to help you?",
    },
    "language_switched": {"es": "Claro, sigo en español.", "en": "Sure, I'll continue in English."},
    "corrected_place": {
        "es": "Listo, cambié el lugar a «{place}».",
        "en": 'Done, I changed the place to "{place}".',
    },
    "corrected_description": {
        "es": "Listo, cambié la descripción.",
        "en": "Done, I changed the description.",
    },
    "changed_service": {
        "es": "Listo, cambié la categoría a «{service}».",
        "en": 'Done, I changed the category to "{service}".',
    },
    "back_to_report": {"es": "Sigamos con tu reporte.", "en": "Back to your report."},
    "not_a_code": {
        "es": "Eso no parece uno de nuestros códigos; se ven así: {example}.",
        "en": "That does not look like one of our codes; they look like {example}.",
    },
    "location_nudge": {
        "es": "Necesito saber dónde es: escribe la dirección o un punto de referencia, envía tu ubicación o "
        "elige «Omitir».",
        "en": "I need to know where it is: type the address or a landmark, share your location, or "
        'choose "Skip".',
    },
    "photo_nudge": {
        "es": "Envía la foto aquí mismo cuando puedas 📷, o elige «Omitir».",
        "en": 'Send the photo right here when you can 📷, or choose "Skip".',
    },
    "instructions": {
        "es": "Solo atiendo reportes de problemas de la ciudad y su estado; nunca muestro datos de otras "
        "personas ni registro nada sin tu confirmación.",
        "en": "I only handle reports of city problems and their status; I never show other people's data "
        "or file anything without your confirmation.",
    },
    "button_yes_next": {"es": "Sí, ese también", "en": "Yes, that one too"},
    "button_no_next": {"es": "No, gracias", "en": "No, thanks"},
    # Answers to requests a web chat (or another client) sent wrong; shown to the citizen as they are.
    "error_bad_json": {
        "es": "No pudimos leer el mensaje (no es JSON válido).",
        "en": "We could not read the message (it is not valid JSON).",
    },
    "error_bad_sender": {
        "es": "Falta el remitente o no tiene un formato válido (letras, números y . _ - : @ +, hasta 128).",
        "en": "The sender is missing or malformed (letters, digits and . _ - : @ +, up to 128).",
    },
    "error_bad_message": {
        "es": "El campo «message» debe ser texto.",
        "en": 'The "message" field must be text.',
    },
    "error_empty_message": {
        "es": "El mensaje está vacío. Escribe algo, envía una foto o tu ubicación.",
        "en": "The message is empty. Type something, or send a photo or your location.",
    },
    "error_bad_metadata": {
        "es": "Los datos adjuntos del mensaje no son válidos ({detail}).",
        "en": "The message's attached data is not valid ({detail}).",
    },
    "error_bad_twilio_signature": {
        "es": "Firma de Twilio ausente o inválida (X-Twilio-Signature).",
        "en": "Missing or invalid Twilio signature (X-Twilio-Signature).",
    },
    "error_bad_twilio_form": {
        "es": "El formulario de Twilio no es válido: falta o es incorrecto «{detail}».",
        "en": 'The Twilio form is not valid: "{detail}" is missing or wrong.',
    },
    "error_bad_telegram_secret": {
        "es": "Falta el token secreto de Telegram o es incorrecto.",
        "en": "The Telegram secret token is missing or wrong.",
    },
    "error_bad_telegram_update": {
        "es": "El cuerpo no es una actualización de Telegram.",
        "en": "The body is not a Telegram update.",
    },
    "error_guessable_sender": {
        "es": "Ese remitente se puede adivinar: usa un identificador al azar de {least} caracteres o más.",
        "en": "That sender could be guessed: use a random id of at least {least} characters.",
    },
    "error_not_your_chat": {
        "es": "Esta conversación se abrió en otro navegador. Recarga la página para empezar una nueva.",
        "en": "This conversation was opened in another browser. Reload the page to start a new one.",
    },
    "error_too_many_uploads": {
        "es": "Ya enviaste muchas fotos o notas de voz en la última hora. Intenta más tarde o escríbelo.",
        "en": "You have sent many photos or voice notes in the last hour. Try later, or write it.",
    },
    "error_disk_full": {
        "es": "Ahora no podemos recibir fotos. Cuéntanos con palabras; la foto puedes enviarla más tarde.",
        "en": "We cannot take photos right now. Tell us in words; you can send the photo later.",
    },
    "error_too_many_senders": {
        "es": "Demasiadas conversaciones nuevas desde esta conexión. Sigue en la que ya tienes abierta.",
        "en": "Too many new conversations from this connection. Please go on in the one you have open.",
    },
    "error_unavailable": {
        "es": "El servicio no está disponible en este momento. Intenta de nuevo en unos segundos.",
        "en": "The service is unavailable right now. Please try again in a few seconds.",
    },
    "error_bad_cursor": {
        "es": "El parámetro «after» debe ser un número entero.",
        "en": 'The "after" parameter must be a whole number.',
    },
    "error_too_large": {
        "es": "El envío es demasiado grande (máximo {limit} bytes).",
        "en": "The upload is too large (at most {limit} bytes).",
    },
    "error_bad_upload": {
        "es": "Solo se aceptan fotos JPEG, PNG, WebP o GIF en el campo «photo».",
        "en": 'Only JPEG, PNG, WebP or GIF photos are accepted, in the "photo" field.',
    },
    "error_unsupported_type": {
        "es": "Envía el mensaje como JSON (Content-Type: application/json).",
        "en": "Send the message as JSON (Content-Type: application/json).",
    },
    # Voice notes recorded on the web chat page (issue 18, connectors/rest/voice.py).
    "error_bad_voice": {
        "es": "Esa nota de voz no se pudo leer. Grábala otra vez o escribe tu mensaje.",
        "en": "That voice note could not be read. Record it again or type your message.",
    },
    "error_voice_too_long": {
        "es": "La nota de voz dura más de {seconds} segundos. Grábala más corta o escribe tu mensaje.",
        "en": "The voice note is longer than {seconds} seconds. Record a shorter one or type your message.",
    },
    "error_voice_off": {
        "es": "Por ahora no recibimos notas de voz aquí. Escribe tu mensaje, por favor.",
        "en": "We do not take voice notes here for now. Please type your message.",
    },
    # Button titles.
    "button_report": {"es": "Reportar un problema", "en": "Report a problem"},
    "button_status": {"es": "Estado de mi caso", "en": "My case status"},
    "button_person": {"es": "Hablar con una persona", "en": "Talk to a person"},
    "button_menu": {"es": "Otra cosa", "en": "Something else"},
    "button_skip": {"es": "Omitir", "en": "Skip"},
    "button_yes": {"es": "Sí, registrar", "en": "Yes, file it"},
    "button_no": {"es": "No, cancelar", "en": "No, cancel"},
    "button_help": {"es": "Ayuda", "en": "Help"},
    "button_publish_yes": {"es": "Sí, publicar", "en": "Yes, publish"},
    "button_publish_no": {"es": "No publicar", "en": "Don't publish"},
}

STATUS_NAMES: dict[str, dict[str, str]] = {
    "open": {"es": "abierto, en espera de revisión", "en": "open, awaiting review"},
    "acknowledged": {"es": "recibido por el área responsable", "en": "acknowledged by the department"},
    "in_progress": {"es": "en atención", "en": "in progress"},
    "resolved": {"es": "resuelto", "en": "resolved"},
    "closed": {"es": "cerrado", "en": "closed"},
    "rejected": {"es": "no procede", "en": "rejected"},
    "duplicate": {"es": "duplicado de otro caso", "en": "duplicate of another case"},
    "reopened": {"es": "reabierto", "en": "reopened"},
}


def text(key: str, language: str, **values: Any) -> str:
    """The text for `key` in `language` (Spanish when the language is unknown), with values filled in."""
    entry = TEXTS[key]
    template = entry.get(language) or entry["es"]
    return template.format(**values) if values else template


def channel_name(name: str, language: str) -> str:
    """The channel as a citizen is told of it ("el chat web"), from its declaration."""
    found = channel(name)
    return found.told_in(language) if found is not UNKNOWN else name


def status_name(status: str, language: str) -> str:
    names = STATUS_NAMES.get(status)
    if names is None:
        return status
    return names.get(language) or names["es"]


# --- Open311 (connectors/open311): error descriptions and notices for the city's other systems. ---
TEXTS.update(
    {
        "open311_bad_format": {
            "es": "Formato no soportado: «{format}». Usa .json o .xml.",
            "en": "Unsupported format: '{format}'. Use .json or .xml.",
        },
        "open311_not_found": {
            "es": "No existe {path} en Open311 GeoReport v2.",
            "en": "There is no {path} in Open311 GeoReport v2.",
        },
        "open311_method": {
            "es": "Método {method} no permitido aquí.",
            "en": "Method {method} is not allowed here.",
        },
        "open311_unknown_service": {
            "es": "El servicio «{service}» no existe; consulta services.json.",
            "en": "Service '{service}' does not exist; see services.json.",
        },
        "open311_request_not_found": {
            "es": "No existe la solicitud «{id}».",
            "en": "Service request '{id}' does not exist.",
        },
        "open311_missing_key": {
            "es": "Falta api_key: pide una a la oficina de sistemas de la ciudad.",
            "en": "api_key is missing: ask the city's IT office for one.",
        },
        "open311_bad_key": {"es": "api_key no válida.", "en": "Invalid api_key."},
        "open311_revoked_key": {"es": "Esta api_key fue revocada.", "en": "This api_key has been revoked."},
        "open311_missing_field": {"es": "Falta el campo {field}.", "en": "Field {field} is missing."},
        "open311_duplicate_field": {
            "es": "El campo {field} viene más de una vez.",
            "en": "Field {field} is given more than once.",
        },
        "open311_too_long": {
            "es": "El campo {field} supera {limit} caracteres.",
            "en": "Field {field} is longer than {limit} characters.",
        },
        "open311_bad_value": {"es": "El campo {field} no es válido.", "en": "Field {field} is not valid."},
        "open311_missing_location": {
            "es": "Indica dónde es: lat y long, o address_string.",
            "en": "Say where it is: lat and long, or address_string.",
        },
        "open311_bad_coordinates": {
            "es": "lat y long van juntos, como números: lat entre -90 y 90, long entre -180 y 180.",
            "en": "lat and long go together, as numbers: lat from -90 to 90, long from -180 to 180.",
        },
        "open311_bad_date": {
            "es": "{field} no es una fecha ISO 8601 (p. ej. 2026-01-31T08:00:00-05:00).",
            "en": "{field} is not an ISO 8601 date (e.g. 2026-01-31T08:00:00-05:00).",
        },
        "open311_bad_range": {
            "es": "start_date debe ser anterior a end_date, y el rango no puede pasar de {days} días.",
            "en": "start_date must come before end_date, and the range may not exceed {days} days.",
        },
        "open311_bad_status": {
            "es": "status debe ser open o closed.",
            "en": "status must be open or closed.",
        },
        "open311_bad_number": {
            "es": "{field} debe ser un número entero entre 1 y {limit}.",
            "en": "{field} must be a whole number from 1 to {limit}.",
        },
        "open311_unknown_attribute": {
            "es": "El servicio no tiene el atributo «{attribute}»; consulta su definición.",
            "en": "The service has no attribute '{attribute}'; see its definition.",
        },
        "open311_missing_attribute": {
            "es": "Falta el atributo obligatorio attribute[{attribute}].",
            "en": "Required attribute attribute[{attribute}] is missing.",
        },
        "open311_bad_attribute": {
            "es": "El valor de attribute[{attribute}] no es válido; consulta la definición del servicio.",
            "en": "The value of attribute[{attribute}] is not valid; see the service definition.",
        },
        "open311_bad_form": {
            "es": "Envía el formulario como application/x-www-form-urlencoded en UTF-8.",
            "en": "Send the form as application/x-www-form-urlencoded in UTF-8.",
        },
        "open311_too_large": {
            "es": "La petición supera {limit} bytes.",
            "en": "The request is larger than {limit} bytes.",
        },
        "open311_service_notice": {
            "es": "Lo atiende {department}; tiempo esperado de solución: {hours} horas.",
            "en": "Handled by {department}; expected to be solved within {hours} hours.",
        },
        "open311_contact": {
            "es": "{city}: oficina de sistemas de la ciudad (Ventanilla).",
            "en": "{city}: the city's IT office (Ventanilla).",
        },
        "open311_key_service": {
            "es": "Pide una api_key a la oficina de sistemas de la ciudad.",
            "en": "Ask the city's IT office for an api_key.",
        },
    }
)


# --- Staff inbox (inbox/, bot/case_status.py): what the citizen is told when staff act. ---
TEXTS.update(
    {
        "case_status_changed": {
            "es": "Tu caso {code} ({service}) cambió: {status}.",
            "en": "Your case {code} ({service}) was updated: {status}.",
        },
        "case_status_note": {"es": "\nNota: {note}", "en": "\nNote: {note}"},
        "handed_back": {
            "es": "Sigo yo, el asistente. Escribe «menú» para ver opciones o «humano» para una persona.",
            "en": 'The assistant again. Type "menu" for options, or "agent" to talk to a person.',
        },
        # bot/ratings.py: after a person hands the conversation back; buttons in order, so "4" is a 4.
        "rate_ask": {
            "es": "¿Cómo te atendimos? Califica de 1 (muy mal) a 5 (excelente).",
            "en": "How did we do? Rate us from 1 (very poor) to 5 (excellent).",
        },
        "button_rate_1": {"es": "Muy mal", "en": "Very poor"},
        "button_rate_2": {"es": "Mal", "en": "Poor"},
        "button_rate_3": {"es": "Regular", "en": "Okay"},
        "button_rate_4": {"es": "Bien", "en": "Good"},
        "button_rate_5": {"es": "Excelente", "en": "Excellent"},
        "rate_thanks": {"es": "¡Gracias por calificarnos!", "en": "Thanks for rating us!"},
        "rate_thanks_low": {
            "es": "Gracias por decírnoslo. Si aún necesitas ayuda, escribe «humano».",
            "en": 'Thanks for telling us. If you still need help, type "agent".',
        },
    }
)


# --- "Was it fixed?" (bot/followups.py, bot/followup_dialogue.py): asked after a case is closed. ---
TEXTS.update(
    {
        "followup_fixed": {
            "es": "Tu reporte {code} ({about}) figura como resuelto. ¿Lo arreglaron?",
            "en": "Your report {code} ({about}) is marked as resolved. Was it fixed?",
        },
        "followup_closed": {
            "es": "Tu reporte {code} ({about}) se cerró: {status}.{reason} ¿Qué tan satisfecho quedaste con "
            "la atención? Responde del 1 (nada) al 5 (mucho).",
            "en": "Your report {code} ({about}) was closed: {status}.{reason} How satisfied are you with how "
            "it was handled? Answer from 1 (not at all) to 5 (very).",
        },
        "followup_reason": {"es": " Motivo: {note}.", "en": " Reason: {note}."},
        "button_fixed_yes": {"es": "Sí", "en": "Yes"},
        "button_fixed_no": {"es": "No", "en": "Not fixed"},
        "button_fixed_unknown": {"es": "No sé", "en": "I don't know"},
        "followup_rate": {
            "es": "¡Qué bien! ¿Qué tan satisfecho quedaste con la atención? Del 1 (nada) al 5 (mucho).",
            "en": "Great! How satisfied are you with how it was handled? From 1 (not at all) to 5 (very).",
        },
        "followup_comment": {
            "es": "Gracias. ¿Quieres dejar un comentario para el equipo? Escríbelo, o elige «Omitir».",
            "en": "Thank you. Would you like to leave a comment for the team? Write it, or choose Skip.",
        },
        "followup_done": {
            "es": "Gracias por contarnos. Tu reporte {code} queda cerrado.",
            "en": "Thank you for telling us. Your report {code} is now closed.",
        },
        "followup_comment_kept": {
            "es": "Gracias, el equipo leerá tu comentario.",
            "en": "Thank you, the team will read your comment.",
        },
        "followup_ask_reason": {
            "es": "Lamento que siga igual. Cuéntame en pocas palabras qué pasa (una foto ayuda) y lo reabro.",
            "en": "Sorry it is not fixed. Tell me in a few words what is wrong (a photo helps) and I'll "
            "reopen it.",
        },
        "followup_ask_words": {
            "es": "Gracias por la foto. Escribe en pocas palabras qué pasa, para reabrirlo.",
            "en": "Thanks for the photo. Write in a few words what is wrong, so I can reopen it.",
        },
        "followup_reopened": {
            "es": "Reabrí tu reporte {code}: vuelve a {department}, que verá lo que me contaste. Te "
            "avisaremos de cada cambio.",
            "en": "I reopened your report {code}: it goes back to {department}, who will see what you told "
            "me. We'll let you know of every change.",
        },
        "followup_escalated": {
            "es": "Ya es la {times}.ª vez que nos dices que no quedó arreglado. Se lo paso a un supervisor, "
            "que te responderá por aquí.",
            "en": "This is time {times} you tell us it was not fixed. I'm passing it to a supervisor, who "
            "will answer you here.",
        },
        "followup_ask_later": {
            "es": "Entendido. Te pregunto de nuevo en unos días.",
            "en": "Understood. I'll ask you again in a few days.",
        },
        "followup_unknown_done": {
            "es": "Entendido, gracias. Si ves que sigue el problema, escribe el código {code} o repórtalo.",
            "en": "Understood, thank you. If you see the problem is still there, write the code {code} or "
            "report it.",
        },
        "followup_too_late": {
            "es": "Gracias por responder. Ya pasó el plazo para reabrir el reporte {code}; si el problema "
            "sigue, puedo registrar uno nuevo.",
            "en": "Thank you for answering. It is too late to reopen report {code}; if the problem is still "
            "there, I can file a new one.",
        },
        "button_report_again": {"es": "Reportarlo de nuevo", "en": "Report it again"},
        "followup_stale": {
            "es": "Gracias, lo anoto. El reporte {code} cambió desde que te pregunté (ahora: {status}); el "
            "equipo verá tu respuesta.",
            "en": "Thank you, noted. Report {code} changed since I asked (now: {status}); the team will see "
            "your answer.",
        },
        "followup_rating_kept": {
            "es": "Gracias por tu calificación.",
            "en": "Thank you for your rating.",
        },
    }
)


# --- Joining an existing report (bot/joining.py) and news to everyone on a case (bot/case_status.py). ---
TEXTS.update(
    {
        "same_one": {
            "es": "Ya hay un reporte de «{service}» {where}, abierto {ago}{status}{people}. ¿Es el mismo?",
            "en": 'There is already a report of "{service}" {where}, opened {ago}{status}{people}. Is it '
            "the same one?",
        },
        "same_many": {
            "es": "Ya hay reportes de «{service}» cerca. ¿Es alguno de estos?\n{lines}",
            "en": 'There are already reports of "{service}" nearby. Is it one of these?\n{lines}',
        },
        "same_line": {
            "es": "{n}. {where}, abierto {ago}{status}{people}",
            "en": "{n}. {where}, opened {ago}{status}{people}",
        },
        "same_at": {"es": "a {metres} m", "en": "{metres} m away"},
        "same_at_place": {"es": "a {metres} m ({place})", "en": "{metres} m away ({place})"},
        "same_place": {"es": "en {place}", "en": "at {place}"},
        "same_today": {"es": "hoy", "en": "today"},
        "same_days": {"es": "hace {days} días", "en": "{days} days ago"},
        "same_day": {"es": "hace 1 día", "en": "1 day ago"},
        "same_people": {"es": ", {n} vecinos sumados", "en": ", {n} neighbours joined"},
        "same_person": {"es": ", 1 vecino sumado", "en": ", 1 neighbour joined"},
        "same_again": {
            "es": "¿Es el mismo problema que ya reportaron? Responde «sí» para sumarte o «no» si es otro.",
            "en": 'Is it the same problem someone already reported? Answer "yes" to join it or "no" if it '
            "is another.",
        },
        "same_which": {
            "es": "¿A cuál te sumo? Elige el número, o «No, es otro».",
            "en": 'Which one shall I join you to? Choose its number, or "No, it\'s another".',
        },
        "button_join": {"es": "Sí, sumarme", "en": "Yes, join it"},
        "button_join_n": {"es": "Sumarme al {n}", "en": "Join number {n}"},
        "button_other": {"es": "No, es otro", "en": "No, it's another"},
        "same_refused": {
            "es": "Entendido, es otro: lo registro aparte.",
            "en": "Understood, it's another one: I'll file it separately.",
        },
        "same_gone": {
            "es": "Ese reporte acaba de cerrarse; registro el tuyo aparte.",
            "en": "That report has just been closed; I'll file yours separately.",
        },
        "joined": {
            "es": "✅ Te sumé al reporte {code}. Te avisaremos por aquí de sus novedades; escribe el código "
            "cuando quieras saber cómo va.",
            "en": "✅ You've joined report {code}. We'll tell you its news here; type the code whenever you "
            "want to know how it's going.",
        },
        "already_joined": {
            "es": "Ya estabas sumado al reporte {code}; te seguimos avisando de sus novedades.",
            "en": "You had already joined report {code}; we'll keep telling you its news.",
        },
        "case_duplicate_of": {
            "es": "Tu reporte {code} ({service}) es el mismo problema que el reporte {survivor}: quedaron "
            "unidos. Te avisaremos de sus novedades; su código es {survivor}.",
            "en": "Your report {code} ({service}) is the same problem as report {survivor}: they are now "
            "one. We'll tell you its news; its code is {survivor}.",
        },
        "case_duplicate_joined": {
            "es": "Otro reporte del mismo problema ({code}) se unió al reporte {survivor} ({service}). "
            "Sigue con el código {survivor}.",
            "en": "Another report of the same problem ({code}) was joined to report {survivor} ({service}). "
            "Its code is still {survivor}.",
        },
    }
)

# --- Data rights (issue 15): the dispatcher's own texts. ---
TEXTS.update(
    {
        "data_rights_soon": {
            "es": "Esa opción de tus datos todavía no está lista. Escribe «humano» y una persona te ayuda.",
            "en": 'That option for your data is not ready yet. Write "agent" and a person will help.',
        },
    }
)

# --- Data rights (issue 15): "descargar mis datos", the export link (bot/data_export.py). ---
TEXTS.update(
    {
        "export_link": {
            # No emoji: on SMS one would make every segment 70 characters instead of 153.
            "es": "Tus datos: {url}\nSirve una sola vez y vence {when}. Es un .zip con tus mensajes, "
            "reportes, fotos y todo lo que guardamos de ti. No lo compartas.",
            "en": "Your data: {url}\nIt works once and expires {when}. It is a .zip with your messages, "
            "reports, photos and everything we keep about you. Don't share it.",
        },
        "export_enough_today": {
            "es": "Ya te enviamos un enlace con tus datos hoy: búscalo más arriba en este chat. Mañana "
            "puedes pedir otro.",
            "en": "We already sent you a link to your data today: look for it above in this chat. You can "
            "ask for another tomorrow.",
        },
        "export_when": {
            "es": "el {weekday} {day} de {month} a las {time}",
            "en": "on {weekday} {day} {month} at {time}",
        },
        # The link's page (connectors/my_data_download.py).
        "export_page_title": {"es": "Tus datos", "en": "Your data"},
        "export_page_body": {
            "es": "Aquí puedes descargar un archivo .zip con todo lo que la ciudad guarda sobre ti: tus "
            "mensajes, tus reportes y su historial, tus fotos y tus canales, en JSON y en CSV.",
            "en": "Here you can download a .zip file with everything the city keeps about you: your "
            "messages, your reports and their history, your photos and your channels, as JSON and CSV.",
        },
        "export_page_button": {"es": "Descargar", "en": "Download"},
        "export_page_once": {
            "es": "El enlace sirve una sola vez y vence {when}: guarda el archivo en un lugar seguro y no "
            "compartas el enlace.",
            "en": "The link works only once and expires {when}: save the file somewhere safe and don't "
            "share the link.",
        },
        "export_page_gone_title": {"es": "Este enlace ya no sirve", "en": "This link no longer works"},
        "export_page_gone": {
            "es": "El enlace ya se usó, venció o no es correcto. Pide uno nuevo en el chat escribiendo "
            "«DESCARGAR MIS DATOS».",
            "en": "The link was already used, has expired or is not right. Ask for a new one in the chat by "
            'writing "DOWNLOAD MY DATA".',
        },
        "export_weekdays": {
            "es": "lunes,martes,miércoles,jueves,viernes,sábado,domingo",
            "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
        },
        "export_months": {
            "es": "enero,febrero,marzo,abril,mayo,junio,julio,agosto,septiembre,octubre,noviembre,diciembre",
            "en": "January,February,March,April,May,June,July,August,September,October,November,December",
        },
    }
)

# --- Data rights (issue 15): erasing one's data from the chat (bot/erasure_dialogue.py). ---
TEXTS.update(
    {
        "erase_explain": {
            "es": "Si borras tus datos, quitamos tu nombre, tus números y chats, el texto de tus mensajes, "
            "tus fotos y tus suscripciones. De tus reportes la ciudad guarda solo el tipo, la zona, las "
            "fechas y su estado, sin nada que lleve a ti. No se puede deshacer.",
            "en": "If you erase your data, we remove your name, numbers and chats, the text of your "
            "messages, your photos and subscriptions. Of your reports the city keeps only the type, area, "
            "dates and status, with nothing that leads to you. It cannot be undone.",
        },
        "erase_confirm_first": {"es": "¿Quieres borrar tus datos?", "en": "Do you want to erase your data?"},
        "erase_confirm_second": {
            "es": "Última confirmación: escribe BORRAR para borrar todo.",
            "en": "Last confirmation: write DELETE to erase everything.",
        },
        "button_erase_yes": {"es": "Sí, borrar", "en": "Yes, erase"},
        "button_erase_final": {"es": "BORRAR", "en": "DELETE"},
        "button_erase_no": {"es": "No, mejor no", "en": "No, keep them"},
        "erase_kept": {"es": "Listo, no borramos nada.", "en": "OK, nothing was erased."},
        "erase_done": {
            "es": "Listo: borramos tus datos. Si vuelves a escribir, empezamos de cero.",
            "en": "Done: your data is erased. If you write again, we start from scratch.",
        },
        "erase_held": {
            "es": "No podemos borrar tus datos todavía: {reason}. Tu solicitud quedó registrada y se "
            "cumplirá cuando se levante la retención.",
            "en": "We cannot erase your data yet: {reason}. Your request is recorded and will be carried "
            "out when the hold is lifted.",
        },
        "erase_code_message": {
            "es": "Código para confirmar que borras tus datos (lo pediste desde {channel}): {code}. Si no "
            "fuiste tú, no lo compartas.",
            "en": "Code to confirm erasing your data (asked from {channel}): {code}. If it wasn't you, "
            "don't share it.",
        },
        "erase_code_sent": {
            "es": "Te enviamos un código a {where}. Escríbelo aquí para confirmar.",
            "en": "We sent a code to {where}. Write it here to confirm.",
        },
        "erase_code_wrong": {
            "es": "Ese código no es. Revísalo y escríbelo otra vez.",
            "en": "That code is not right. Check it and write it again.",
        },
        "erase_code_failed": {
            "es": "El código no coincidió. No borramos nada; puedes pedirlo de nuevo.",
            "en": "The code did not match. Nothing was erased; you can ask again.",
        },
        "erase_code_expired": {
            "es": "El código venció. No borramos nada; puedes pedirlo de nuevo.",
            "en": "The code expired. Nothing was erased; you can ask again.",
        },
        "erase_no_other_channel": {
            "es": "Tus datos están en varios canales y no podemos confirmarlo por otro. Una persona del "
            "equipo te contactará para terminar.",
            "en": "Your data is on several channels and we can't confirm it on another. A person from "
            "the team will contact you to finish.",
        },
    }
)

# --- Data rights (issue 15), helper A: "mis datos" (bot/my_data.py) and the policy page /privacidad. ---
TEXTS.update(
    {
        "my_data_title": {"es": "📋 Lo que tenemos de ti:", "en": "📋 What we hold about you:"},
        "my_data_channels": {"es": "• Canales: {channels}", "en": "• Channels: {channels}"},
        "my_data_name": {"es": "• Nombre: {name}", "en": "• Name: {name}"},
        "my_data_no_name": {"es": "• No tenemos tu nombre", "en": "• We don't have your name"},
        "my_data_phone": {"es": "• Teléfono: {phone}", "en": "• Phone: {phone}"},
        "my_data_email": {"es": "• Correo: {email}", "en": "• Email: {email}"},
        "my_data_open": {"es": "• Reportes abiertos: {codes}", "en": "• Open reports: {codes}"},
        "my_data_closed": {"es": "• Reportes cerrados: {codes}", "en": "• Closed reports: {codes}"},
        "my_data_joined": {"es": "• Te sumaste a: {codes}", "en": "• Reports you joined: {codes}"},
        "my_data_no_cases": {"es": "• Ningún reporte", "en": "• No reports"},
        "my_data_more": {"es": "{codes} y {n} más", "en": "{codes} and {n} more"},
        "my_data_opted_out": {
            "es": "• Pediste no recibir avisos (STOP) por: {channels}",
            "en": "• You asked for no messages (STOP) on: {channels}",
        },
        "my_data_publish": {
            "es": "• Aceptaste publicar la descripción de {codes}",
            "en": "• You agreed to publish the description of {codes}",
        },
        "my_data_kept": {
            "es": "Guardamos tus mensajes y fotos {months} meses después de cerrarse tu último reporte "
            "({days} días si escribiste por el chat web sin reportar nada). Tras {inactive} meses sin "
            "actividad, te anonimizamos. Más: {url}",
            "en": "We keep your messages and photos {months} months after your last report closes ({days} "
            "days if you used the web chat and reported nothing). After {inactive} months without "
            "activity, you are anonymised. More: {url}",
        },
        "my_data_in_report": {
            "es": "Para descargarlos o borrarlos, escribe DESCARGAR MIS DATOS o BORRAR MIS DATOS.",
            "en": "To download or erase them, write DOWNLOAD MY DATA or ERASE MY DATA.",
        },
        "button_data_export": {"es": "Descargar mis datos", "en": "Download my data"},
        "button_data_erase": {"es": "Borrar mis datos", "en": "Erase my data"},
        "button_data_correct": {"es": "Corregir un dato", "en": "Correct something"},
        "button_data_menu": {"es": "Menú", "en": "Menu"},
        # The privacy policy page, /privacidad (connectors/rest/policy.py).
        "policy_title": {"es": "Política de privacidad", "en": "Privacy policy"},
        "policy_missing": {
            "es": "La ciudad todavía no ha publicado su política de privacidad. Mientras tanto, escribe "
            "MIS DATOS en el chat para ver qué datos tuyos tenemos.",
            "en": "The city has not published its privacy policy yet. Meanwhile, write MY DATA in the chat "
            "to see what data of yours we hold.",
        },
        "policy_only_other": {
            "es": "Esta política solo está publicada en inglés.",
            "en": "This policy is only published in Spanish.",
        },
        "policy_language_name": {"es": "Español", "en": "English"},
        "policy_back": {"es": "← Volver al chat", "en": "← Back to the chat"},
    }
)

# --- Data rights (issue 15), requests: a correction for a person, with its legal deadline. ---
TEXTS.update(
    {
        "correction_recorded": {
            "es": "📝 Anotamos tu corrección (solicitud n.º {ref}). Una persona la hará; te respondemos "
            "a más tardar el {date}.",
            "en": "📝 We've noted your correction (request no. {ref}). A person will make it; we'll answer "
            "by {date} at the latest.",
        },
        "correction_ask_value": {
            "es": "📝 Solicitud n.º {ref}: una persona lo corregirá a más tardar el {date}. ¿Cuál es el dato "
            "correcto?",
            "en": "📝 Request no. {ref}: a person will correct it by {date} at the latest. What is the right "
            "information?",
        },
        "correction_added": {
            "es": "Gracias, lo agregué a tu solicitud n.º {ref}. Una persona lo corregirá.",
            "en": "Thanks, I've added it to your request no. {ref}. A person will correct it.",
        },
        "correction_withdrawn": {
            "es": "Listo, cancelé la solicitud n.º {ref}. Tus datos quedan como estaban.",
            "en": "Done, I've cancelled request no. {ref}. Your details stay as they were.",
        },
        "correction_gone": {
            "es": "Esa solicitud ya fue atendida. Si algo sigue mal, escribe «mi nombre está mal».",
            "en": "That request has already been handled. If something is still wrong, write "
            '"my name is wrong".',
        },
    }
)

# --- Data rights (issue 15): an erasure under a supervisor's hold. ---
TEXTS.update(
    {
        "erase_hold_notice": {
            "es": "Ojo: hay una retención sobre tus datos ({reason}). Si confirmas, tu solicitud queda "
            "registrada y la cumplimos cuando se levante.",
            "en": "Note: there is a hold on your data ({reason}). If you confirm, your request is recorded "
            "and carried out when the hold is lifted.",
        },
    }
)

# --- Participation (issue 16): opting into topics, BAJA and ALTA (bot/topics.py). ---
TEXTS.update(
    {
        "topics_choose": {
            "es": "¿Qué quieres que te enviemos? Elige un tema:",
            "en": "What would you like us to send you? Pick a topic:",
        },
        "topics_ask_area": {
            "es": "¿Para qué zona quieres {topic}?",
            "en": "Which area do you want {topic} for?",
        },
        "topics_pick_area": {"es": "Si quieres otra zona, elígela:", "en": "To change the area, pick one:"},
        "button_topics_whole_city": {"es": "Toda la ciudad", "en": "Whole city"},
        "topics_whole_city": {"es": "toda la ciudad", "en": "the whole city"},
        "topics_where": {"es": " Zona: {area}.", "en": " Area: {area}."},
        "topics_default_description": {"es": "Te enviaremos {topic}.", "en": "We will send you {topic}."},
        # The words a citizen says yes to, recorded with the subscription (`Subscription.shown`).
        "topics_confirm": {
            "es": "{what}{where} Nunca entre las {start} y las {end}. Escribe BAJA para dejar de "
            "recibirlos. ¿Te suscribo?",
            "en": "{what}{where} Never between {start} and {end}. Type STOP to stop them. Shall I sign you "
            "up?",
        },
        "button_topics_yes": {"es": "Sí, suscribirme", "en": "Yes, sign me up"},
        "button_topics_no": {"es": "No, gracias", "en": "No, thanks"},
        "topics_done": {
            "es": "✅ Listo, te suscribí a {topic}.{where} Escribe BAJA para dejar de recibirlos.",
            "en": "✅ Done, you're signed up for {topic}.{where} Type STOP to stop them.",
        },
        "topics_not_now": {
            "es": "Listo, no te suscribí a nada.",
            "en": "OK, I haven't signed you up for anything.",
        },
        "topics_already": {
            "es": "Ya recibes {topic}. Escribe BAJA para dejar de recibirlos.",
            "en": "You already get {topic}. Type STOP to stop them.",
        },
        "topics_already_area": {
            "es": "Ya recibes {topic} ({area}).",
            "en": "You already get {topic} ({area}).",
        },
        "topics_area_changed": {
            "es": "Listo, ahora recibirás {topic} de {area}.",
            "en": "Done, you'll now get {topic} for {area}.",
        },
        "topics_left": {
            "es": "Listo, ya no te enviaremos {topics}. Lo demás sigue igual.",
            "en": "Done, we won't send you {topics} any more. Everything else stays the same.",
        },
        "topics_not_in": {
            "es": "No estabas suscrito a {topics}: no te enviaremos nada de eso.",
            "en": "You weren't signed up for {topics}: we won't send you any.",
        },
        # BAJA / STOP: one reply, naming what stops.
        "topics_stopped": {
            "es": "Listo, no te enviaremos más {topics}. Tus casos siguen y te contamos cómo van. Escribe "
            "ALTA para volver.",
            "en": "Done, we won't send you any more {topics}. Your cases go on and we'll tell you how they "
            "go. Type START to come back.",
        },
        "topics_stop_none": {
            "es": "Listo. No estás suscrito a encuestas ni avisos: la ciudad solo te escribe sobre tus "
            "casos. Escribe «menú» si me necesitas.",
            "en": "Done. You're not signed up for surveys or alerts: the city only writes to you about your "
            'cases. Type "menu" if you need me.',
        },
        "topics_resumed": {
            "es": "¡Qué bueno tenerte de vuelta! Volverás a recibir {topics}. Escribe BAJA para dejarlo.",
            "en": "Welcome back! You'll get {topics} again. Type STOP to stop them.",
        },
        "topics_and": {"es": " y ", "en": " and "},
        "topics_nor": {"es": " ni ", "en": " or "},
        # "Mis datos" (bot/my_data.py): one line for the citizen's topics.
        "my_data_topics": {"es": "Temas: {topics}", "en": "Topics: {topics}"},
        "topic_status_active": {"es": "activo", "en": "active"},
        "topic_status_paused": {"es": "en pausa", "en": "paused"},
        "topic_status_left": {"es": "dejado", "en": "left"},
    }
)

# --- Participation (issue 16): answering a survey (bot/survey_dialogue.py). ---
TEXTS.update(
    {
        "survey_binding": {
            "es": "Consulta vinculante: la ciudad se compromete a seguir el resultado.",
            "en": "Binding vote: the city commits to follow the result.",
        },
        "survey_advisory": {
            "es": "Consulta consultiva: orienta la decisión, no la obliga.",
            "en": "Advisory survey: it guides the decision, it does not bind it.",
        },
        "survey_facts": {
            "es": "Hasta el {date}. {count} preguntas.",
            "en": "Open until {date}. {count} questions.",
        },
        "survey_facts_one": {"es": "Hasta el {date}. 1 pregunta.", "en": "Open until {date}. 1 question."},
        "survey_ways_out": {
            "es": "SALTAR omite una pregunta opcional; BAJA, para no recibir más.",
            "en": "SKIP skips an optional question; STOP to receive no more.",
        },
        "survey_ways_out_no_skip": {
            "es": "Escribe BAJA para no recibir más.",
            "en": "Write STOP to receive no more.",
        },
        "survey_at": {"es": "{day} a las {time}", "en": "{day} at {time}"},
        "survey_pick_one": {"es": "Responde con el número.", "en": "Reply with the number."},
        "survey_pick_many": {
            "es": "Puedes elegir varias (ej.: 1 y 3).",
            "en": "You may pick several (e.g. 1 and 3).",
        },
        "survey_scale": {
            "es": "Del 1 (muy mal) al 5 (muy bien).",
            "en": "From 1 (very poor) to 5 (very good).",
        },
        "survey_text": {"es": "Escríbelo en pocas palabras.", "en": "Write it in a few words."},
        "survey_optional": {"es": "(Opcional: SALTAR)", "en": "(Optional: SKIP)"},
        "survey_skip": {"es": "Saltar", "en": "Skip"},
        "survey_again": {
            "es": "Perdona, no entendí tu respuesta.",
            "en": "Sorry, I didn't get your answer.",
        },
        "survey_required": {
            "es": "Esta pregunta no se puede saltar.",
            "en": "This question can't be skipped.",
        },
        "survey_left": {
            "es": "Dejo la encuesta aquí; lo que respondiste queda guardado. Escribe ENCUESTA para seguir.",
            "en": "I'll leave the survey here; what you answered is kept. Write SURVEY to go on.",
        },
        "survey_done": {
            "es": "¡Gracias por responder! {binding} Puedes cambiar tus respuestas escribiendo ENCUESTA "
            "hasta el {date}.",
            "en": "Thanks for answering! {binding} You can change your answers by writing SURVEY until "
            "{date}.",
        },
        "survey_closed": {
            "es": "La encuesta «{title}» cerró el {date}; ya no recibe respuestas. ¡Gracias!",
            "en": 'The survey "{title}" closed on {date}; it takes no more answers. Thanks!',
        },
        "survey_none": {
            "es": "No tienes encuestas abiertas. Para recibirlas, escribe «quiero recibir encuestas».",
            "en": 'You have no open surveys. To get them, write "I want to receive surveys".',
        },
        "survey_which": {
            "es": "¿Qué encuesta quieres responder?",
            "en": "Which survey do you want to answer?",
        },
        "survey_again_start": {
            "es": "Empezamos de nuevo: tus respuestas reemplazan las anteriores.",
            "en": "Starting again: your answers replace the earlier ones.",
        },
    }
)

# --- Participation (issue 16): sending surveys and alerts (bot/broadcasts.py). ---
TEXTS.update(
    {
        # How to stop is in every notice: an alert the citizen no longer wants must be one word away.
        "alert_body": {
            "es": "📢 Aviso de la ciudad — {about}: {text}\nPara no recibir más avisos, escribe BAJA.",
            "en": "📢 City notice — {about}: {text}\nTo stop these notices, reply STOP.",
        },
    }
)

# --- The knowledge base (issue 17): answers, "¿Te sirvió?", choices, misses (bot/knowledge_dialogue.py). ---
TEXTS.update(
    {
        "knowledge_useful": {"es": "¿Te sirvió?", "en": "Did this help?"},
        "knowledge_link": {"es": "Más en: {link}", "en": "More at: {link}"},
        "button_knowledge_yes": {"es": "Sí", "en": "Yes"},
        "button_knowledge_no": {"es": "No", "en": "No, it didn't"},
        "button_knowledge_more": {"es": "Más información", "en": "More information"},
        "button_knowledge_report": {"es": "Reportar: {service}", "en": "Report: {service}"},
        "button_knowledge_none": {"es": "Ninguno", "en": "None of these"},
        "knowledge_which": {
            "es": "¿Sobre cuál de estos temas preguntas?",
            "en": "Which of these topics are you asking about?",
        },
        "knowledge_which_area": {
            "es": "¿En qué zona vives? La respuesta depende de la zona.",
            "en": "Which area do you live in? The answer depends on the area.",
        },
        "knowledge_glad": {"es": "¡Qué bien! ¿Algo más?", "en": "Glad it helped! Anything else?"},
        "knowledge_sorry": {
            "es": "Lo siento, esa respuesta no te sirvió. ¿Quieres hablar con una persona?",
            "en": "Sorry that did not help. Would you like to talk to a person?",
        },
        "knowledge_none_chosen": {
            "es": "Entiendo, ninguno de esos: aún no tengo esa respuesta. ¿Quieres hablar con una persona?",
            "en": "I see, none of those. I don't have that answer yet. Would you like to talk to a person?",
        },
        "knowledge_miss_offer": {
            "es": "¿Quieres hablar con una persona?",
            "en": "Would you like to talk to a person?",
        },
        "knowledge_no_more": {
            "es": "No tengo más detalles sobre esto.",
            "en": "I have no more details on this.",
        },
        # The labels of a topic's fields, shown with its longer part.
        "knowledge_field_where": {"es": "Dónde", "en": "Where"},
        "knowledge_field_hours": {"es": "Horario", "en": "Hours"},
        "knowledge_field_bring": {"es": "Qué llevar", "en": "What to bring"},
        "knowledge_field_cost": {"es": "Costo", "en": "Cost"},
    }
)

# --- The knowledge base (issue 17): due-date reminders (bot/knowledge_reminders.py). ---
TEXTS.update(
    {
        "button_remind": {"es": "Recordármelo", "en": "Remind me"},
        # The words a citizen opts in with (`Subscription.shown`): what, when, where, and how to stop.
        "reminder_opt_in": {
            "es": "Te recordaré «{what}» el {when}{others}, por este chat, entre las {start} y las {end}. "
            "Para no recibir más recordatorios, escribe BAJA.",
            "en": 'I\'ll remind you "{what}" on {when}{others}, in this chat, between {start} and {end}. '
            "To stop reminders, type STOP.",
        },
        "reminder_when_before": {"es": "{day} ({days} días antes)", "en": "{day} ({days} days before)"},
        "reminder_when_before_one": {"es": "{day} (1 día antes)", "en": "{day} (1 day before)"},
        "reminder_when_today": {"es": "{day} (hoy mismo)", "en": "{day} (today)"},
        "reminder_when_same_day": {"es": "{day} (el mismo día)", "en": "{day} (on the day)"},
        "reminder_others": {
            "es": " y también las demás fechas de «{title}»",
            "en": ' and the other dates of "{title}" too',
        },
        "reminder_already": {
            "es": "Ya lo tienes: te recordaré las fechas de «{title}». Para dejarlo, escribe «ya no me "
            "recuerdes {named}».",
            "en": 'You already have it: I\'ll remind you of the dates of "{title}". To leave it, type '
            '"stop reminding me of {named}".',
        },
        "reminder_no_dates": {
            "es": "«{title}» no tiene fechas próximas que pueda recordarte.",
            "en": '"{title}" has no coming dates I could remind you of.',
        },
        "reminder_which": {
            "es": "¿De qué fecha? Puedo recordarte:",
            "en": "Which date? I can remind you of:",
        },
        "reminder_none": {
            "es": "Por ahora no hay fechas próximas que pueda recordarte.",
            "en": "There are no coming dates I could remind you of right now.",
        },
        "reminder_left": {
            "es": "Listo, ya no te recordaré las fechas de «{title}». Lo demás sigue igual.",
            "en": 'Done, I won\'t remind you of the dates of "{title}" any more. Everything else stays '
            "the same.",
        },
        "reminder_not_in": {
            "es": "No tenías recordatorios de «{title}»: no te enviaré nada de eso.",
            "en": 'You had no reminders for "{title}": I won\'t send you any.',
        },
        "reminder_leave_none": {
            "es": "No tienes recordatorios activos.",
            "en": "You have no active reminders.",
        },
        # The reminder itself (one broadcast per topic and date); how to stop is in every one.
        "reminder_body": {
            "es": "⏰ Recordatorio: {what} el {day}. {title}{link}\nPara no recibir más recordatorios, "
            "escribe BAJA.",
            "en": "⏰ Reminder: {what} on {day}. {title}{link}\nTo stop reminders, reply STOP.",
        },
        # "Mis datos", BAJA and ALTA name a reminder subscription by its topic's title.
        "reminder_topic_name": {"es": "recordatorios: {title}", "en": "reminders: {title}"},
    }
)

# E-mail (issue 18): a mail's From is not proof of who wrote it, so a link code is claimed elsewhere.
TEXTS.update(
    {
        "link_claim_elsewhere": {
            "es": "Por correo no puedo usar códigos de vinculación. Escribe «vincular» aquí: te mando el "
            "código a este correo, y lo escribes en el otro canal.",
            "en": "I can't take link codes by e-mail. Write \"link\" here: I'll send the code to this "
            "address, and you type it on the other channel.",
        },
    }
)

# Issue 18, contacts: a case an agent filed during a call or a visit; the code in writing, on SMS/WhatsApp.
TEXTS.update(
    {
        "case_filed_for_you_phone": {
            "es": "Registramos tu caso {code} ({service}) por tu llamada. Para saber cómo va, escribe aquí "
            "«cómo va mi caso».",
            "en": "We filed your case {code} ({service}) from your call. To follow it, reply "
            '"how is my case".',
        },
        "case_filed_for_you_in_person": {
            "es": "Registramos tu caso {code} ({service}) en tu visita. Para saber cómo va, escribe aquí "
            "«cómo va mi caso».",
            "en": "We filed your case {code} ({service}) at your visit. To follow it, reply "
            '"how is my case".',
        },
    }
)

# Issue 19, part A (the bot notices, offers, asks consent; plain language): bot/preferential_dialogue.py.
TEXTS.update(
    {
        "preferential_offer": {
            "es": "¿Quieres que te demos atención preferencial? Tus casos se atienden primero.",
            "en": "Would you like priority attention? Your cases are handled first.",
        },
        "button_preferential_yes": {"es": "Sí, quiero", "en": "Yes, please"},
        "button_preferential_no": {"es": "No, gracias", "en": "No, thanks"},
        "preferential_granted": {
            "es": "Listo: tienes atención preferencial. Tus casos se atienden primero y con plazos más "
            "cortos. Para quitarla, escribe «quitar atención preferencial».",
            "en": "Done: you have priority attention. Your cases are handled first, with shorter targets. "
            'To remove it, write "remove priority".',
        },
        "preferential_declined": {
            "es": "Entendido, no la activo. ¿En qué más te ayudo?",
            "en": "OK, I won't turn it on. How else can I help?",
        },
        "preferential_noted": {
            "es": "Gracias por contarme.",
            "en": "Thanks for telling me.",
        },
        "preferential_which": {
            "es": "Con gusto. Para darte atención preferencial, dime el motivo:",
            "en": "Of course. To give you priority attention, tell me why:",
        },
        "preferential_already": {
            "es": "Ya tienes atención preferencial. Tus casos se atienden primero.",
            "en": "You already have priority attention. Your cases are handled first.",
        },
        "preferential_withdrawn": {
            "es": "Listo, quité tu atención preferencial. Puedes pedirla otra vez cuando quieras.",
            "en": "Done, I removed your priority attention. You can ask for it again at any time.",
        },
        "preferential_none": {
            "es": "No tenías atención preferencial, así que no hay nada que quitar.",
            "en": "You didn't have priority attention, so there is nothing to remove.",
        },
        # The reasons, as a citizen reads them on the buttons (staff see inbox/i18n.PREFERENTIAL_LABELS).
        "preferential_kind_elderly": {"es": "Persona mayor", "en": "Older person"},
        "preferential_kind_disability": {"es": "Discapacidad o movilidad", "en": "Disability or mobility"},
        "preferential_kind_pregnancy": {"es": "Embarazo", "en": "Pregnancy"},
        "preferential_kind_child": {"es": "Bebé o niño pequeño", "en": "Baby or small child"},
        "preferential_kind_illness": {"es": "Enfermo en casa", "en": "Ill at home"},
        "preferential_kind_reading": {"es": "Dificultad para leer", "en": "Difficulty reading"},
        "preferential_kind_other": {"es": "Otro motivo", "en": "Another reason"},
        "my_data_preferential_kind": {
            "es": "• Atención preferencial: sí ({kind})",
            "en": "• Priority attention: yes ({kind})",
        },
        "plain_on": {
            "es": "Claro. Te escribo más simple.",
            "en": "Sure. I will write more simply.",
        },
        "plain_off": {
            "es": "Listo, vuelvo a escribir como antes.",
            "en": "Done, I'm back to my usual replies.",
        },
    }
)
