"""What a citizen's export holds, told inside it: the CSVs' columns, and LEEME.txt (es) / README.txt (en)."""

from __future__ import annotations

from collections.abc import Sequence

# Each CSV of the zip (bot/export_zip.py) and its columns, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "identidades": ("canal", "direccion", "nombre", "no_recibir_avisos", "creada", "ultimo_mensaje"),
    "mensajes": (
        "fecha", "sentido", "autor", "canal", "direccion", "texto", "adjuntos", "latitud", "longitud",
        "entrega",
    ),
    "casos": (
        "codigo", "servicio", "descripcion", "direccion", "latitud", "longitud", "estado", "canal", "creado",
        "actualizado", "cerrado", "autoriza_publicar", "fotos", "respuestas_extra",
    ),
    "historial_casos": ("caso", "fecha", "quien", "de", "a", "nota"),
    "casos_apoyados": ("caso", "servicio", "estado", "canal", "sumado", "distancia_m"),
    "seguimientos_calificaciones": (
        "tipo", "caso", "preguntado", "respondido", "respuesta", "calificacion", "comentario", "motivo",
    ),
    "avisos_privacidad": ("version", "canal", "mostrado"),
    "solicitudes_datos": (
        "tipo", "estado", "canal", "pedida", "vence", "atendida", "tus_palabras", "respuesta",
    ),
    "consentimientos": ("consentimiento", "sobre", "valor", "fecha"),
    "preguntas": ("fecha", "canal", "idioma", "pregunta", "resultado", "tema", "te_sirvio"),
    "atencion_preferencial": ("fecha", "accion", "tipo", "palabras", "quien", "canal"),
}  # fmt: skip

_FILES = {
    "es": {
        "datos.json": "todo lo de abajo en un solo archivo, y tu ficha (nombre, idioma, teléfono, correo, "
        "fecha de alta, atención preferencial si la tienes)",
        "identidades.csv": "tus canales: WhatsApp, SMS, Telegram o chat web, con su número o id",
        "mensajes.csv": "tus mensajes y los que te enviamos (el bot, el personal, los avisos), por canal; "
        "tus llamadas y visitas, con el resumen que anotó el personal",
        "casos.csv": "los reportes que hiciste: código, servicio, descripción, lugar, estado, fechas, "
        "si autorizaste publicar la descripción y los nombres de tus fotos",
        "historial_casos.csv": "cómo avanzó cada reporte tuyo: cambios de estado y las notas que se te "
        "contaron",
        "casos_apoyados.csv": "reportes de otros vecinos a los que te sumaste: código, servicio, estado, "
        "fecha y distancia (nada de la persona que reportó)",
        "seguimientos_calificaciones.csv": "tus respuestas a «¿ya se arregló?» y tus calificaciones",
        "avisos_privacidad.csv": "qué versión del aviso de privacidad te mostramos, cuándo y por dónde",
        "solicitudes_datos.csv": "tus solicitudes sobre tus datos (ver, descargar, corregir, borrar), con "
        "su plazo legal",
        "consentimientos.csv": "si recibes avisos de la ciudad en cada canal, y si autorizaste publicar "
        "cada reporte",
        "preguntas.csv": "lo que preguntaste al asistente sobre trámites y servicios (con tus datos "
        "ocultos), qué tema te respondió y si te sirvió",
        "atencion_preferencial.csv": "cuándo se te dio o se te quitó la atención preferencial, de qué "
        "tipo y con qué palabras (las tuyas, o el motivo que anotó el personal)",
        "fotos/": "las fotos y notas de voz que enviaste, y las respuestas en voz que te envió el asistente",
    },
    "en": {
        "datos.json": "everything below in one file, and your record (name, language, phone, e-mail, when "
        "you first wrote, preferential attention if you have it)",
        "identidades.csv": "identities: your channels (WhatsApp, SMS, Telegram, web chat) with their number "
        "or id",
        "mensajes.csv": "messages: yours and those we sent you (the bot, staff, notices), by channel; your "
        "calls and visits, with the summary staff wrote",
        "casos.csv": "cases: the reports you made: code, service, description, place, status, dates, whether "
        "you allowed publishing the description, and your photos' names",
        "historial_casos.csv": "case history: how each of your reports went: status changes and the notes "
        "you were told",
        "casos_apoyados.csv": "cases supported: other neighbours' reports you joined: code, service, status, "
        "date and distance (nothing of the person who reported)",
        "seguimientos_calificaciones.csv": 'follow-ups and ratings: your answers to "was it fixed?" and '
        "your ratings",
        "avisos_privacidad.csv": "privacy notices: which version we showed you, when and where",
        "solicitudes_datos.csv": "data requests: your requests about your data (see, download, correct, "
        "erase) with their legal deadline",
        "consentimientos.csv": "consents: whether you get the city's notices on each channel, and whether "
        "you allowed publishing each report",
        "preguntas.csv": "questions: what you asked the assistant about procedures and services (your "
        "details hidden), which topic answered and whether it helped",
        "atencion_preferencial.csv": "preferential attention: when it was given to you or withdrawn, of "
        "which kind and with which words (yours, or the reason staff wrote)",
        "fotos/": "photos: the photos and voice notes you sent, and the spoken answers the bot sent you",
    },
}
_TEXT = {
    "es": {
        "title": "Tus datos en Ventanilla",
        "intro": "Este archivo tiene todo lo que la ciudad guarda sobre ti en este servicio. Los CSV se "
        "abren con Excel, LibreOffice o Google Sheets; las fechas están en la hora de la ciudad.",
        "cells": "Una celda que empieza con = + - o @ (un teléfono +57…) lleva un apóstrofo delante: así "
        "la hoja de cálculo la muestra como texto y nunca la ejecuta. datos.json la tiene sin él.",
        "not": "No incluye las notas internas del personal: son notas de trabajo de la ciudad, no "
        "mensajes para ti. De los reportes a los que te sumaste solo va lo tuyo, nada de otras personas.",
        "missing": "Fotos que ya no estaban guardadas (no se incluyen): {names}",
        "too_big": "Fotos que no caben en la descarga (más de 50 MB en total); pídelas escribiendo "
        "«humano» en el chat: {names}",
        "columns": "Columnas",
    },
    "en": {
        "title": "Your data in Ventanilla",
        "intro": "This archive holds everything the city keeps about you in this service. The CSV files "
        "open in Excel, LibreOffice or Google Sheets; times are the city's. File and column names are in "
        "Spanish, the city's language; the list below says what each file is.",
        "cells": "A cell starting with = + - or @ (a phone number +57…) has an apostrophe in front, so a "
        "spreadsheet shows it as text and never runs it. datos.json has it without.",
        "not": "It does not include staff's internal notes: they are the city's working notes, not "
        "messages to you. Of the reports you joined, only what is yours is here, nothing of other people.",
        "missing": "Photos no longer kept (not included): {names}",
        "too_big": "Photos that did not fit in the download (over 50 MB in all); ask for them by writing "
        '"agent" in the chat: {names}',
        "columns": "Columns",
    },
}


def readme(language: str, missing: Sequence[str], too_big: Sequence[str]) -> str:
    """LEEME.txt or README.txt: what each file is, what is not there and why, and which photos are not."""
    words = _TEXT[language]
    lines = [words["title"], "=" * len(words["title"]), "", words["intro"], ""]
    for name, what in _FILES[language].items():
        lines.append(f"- {name}: {what}")
        columns = COLUMNS.get(name.removesuffix(".csv"))
        if columns:
            lines.append(f"  {words['columns']}: {', '.join(columns)}")
    lines += ["", words["cells"], "", words["not"]]
    if missing:
        lines += ["", words["missing"].format(names=", ".join(missing))]
    if too_big:
        lines += ["", words["too_big"].format(names=", ".join(too_big))]
    return "\r\n".join(lines) + "\r\n"
