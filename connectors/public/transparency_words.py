"""The words of the transparency page, in Spanish and English (the page's own: no citizen reads them in
the chat, so they live beside the page rather than in bot/texts.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "es": {
        "title": "Transparencia",
        "subtitle": "Lo que la ciudad recibe, resuelve y mide",
        "intro": (
            "Cifras de los reportes que los vecinos hacen por chat, WhatsApp, SMS y Telegram. Solo totales: "
            "ningún dato de ninguna persona. Una cifra menor que {min_cell} se muestra como «<{min_cell}» y "
            "un promedio o porcentaje sobre menos de {min_cell} casos como «pocos datos»."
        ),
        "period": "Periodo",
        "last_months": "Últimos {n} meses",
        "months_short": "{n} meses",
        "period_shown": "Del {since} al {until}. Cifras actualizadas cada pocos minutos.",
        "key_figures": "En resumen",
        "filed": "Casos recibidos",
        "median_days": "Mediana de días hasta resolver",
        "within_target": "Resueltos dentro del plazo",
        "confirmed_fixed": "El vecino confirmó que se arregló",
        "reopened": "Casos resueltos que se reabrieron",
        "mean_rating": "Satisfacción media (1 a 5)",
        "bot_alone": "Atendidos solo por el asistente, sin una persona",
        "of_cases": "de {n} casos",
        "of_answers": "de {n} respuestas",
        "of_citizens": "de {n} vecinos",
        "days": "{n} días",
        "too_few": "pocos datos",
        "by_month": "Casos por mes",
        "by_month_label": "Casos recibidos por mes: {values}",
        "month": "Mes",
        "cases": "Casos",
        "status": "Estado",
        "by_service": "Casos por servicio",
        "service": "Servicio",
        "by_area": "Casos por zona",
        "area": "Zona",
        "no_area": "Sin zona",
        "service_area": "Servicio y zona",
        "total": "Total",
        "outcomes": "Cómo están los casos",
        "outcomes_note": (
            "«Cerrado» no es «resuelto»: un caso rechazado, duplicado o cerrado sin arreglo se cuenta aparte."
        ),
        "pending": "En curso",
        "resolved": "Resueltos",
        "closed": "Cerrados",
        "rejected": "Rechazados",
        "duplicate": "Duplicados",
        "satisfaction": "Satisfacción",
        "satisfaction_note": (
            "Las calificaciones de 1 a 5 que los vecinos dan al cerrarse su caso y al terminar una "
            "conversación con una persona."
        ),
        "rating": "Calificación",
        "answers": "Respuestas",
        "after_case": "Al cerrarse un caso",
        "after_conversation": "Tras hablar con una persona",
        "stars": "{n} de 5",
        "surveys": "Resultados de encuestas",
        "surveys_none": "Ninguna encuesta cerró en este periodo.",
        "binding": "Vinculante",
        "advisory": "Consultiva",
        "closed_on": "Cerró el {day}",
        "respondents": "{n} participantes",
        "choice": "Opción",
        "answered": "{n} respondieron esta pregunta",
        "survey_mean": "media {mean} de 5",
        "text_answers": "{n} respuestas de texto libre: no se publican, la ciudad las lee.",
        "as_table": "Ver las cifras en una tabla",
        "open_data": "Datos abiertos",
        "privacy": "Privacidad",
        "chat": "Escribir a la ciudad",
        "other_language": "English",
        "bad_period": "Ese periodo no existe. Elige 3, 6, 12 o 24 meses.",
        "month_names": "ene feb mar abr may jun jul ago sep oct nov dic",
    },
    "en": {
        "title": "Transparency",
        "subtitle": "What the city receives, resolves and measures",
        "intro": (
            "Figures of the reports residents make by web chat, WhatsApp, SMS and Telegram. Totals only: "
            "nothing about any person. A count below {min_cell} shows as “<{min_cell}”, and an average or "
            "share over fewer than {min_cell} cases as “too few”."
        ),
        "period": "Period",
        "last_months": "Last {n} months",
        "months_short": "{n} months",
        "period_shown": "From {since} to {until}. Figures refreshed every few minutes.",
        "key_figures": "At a glance",
        "filed": "Cases received",
        "median_days": "Median days to resolve",
        "within_target": "Resolved within the target",
        "confirmed_fixed": "The resident confirmed it was fixed",
        "reopened": "Resolved cases that were reopened",
        "mean_rating": "Average satisfaction (1 to 5)",
        "bot_alone": "Served by the assistant alone, without a person",
        "of_cases": "of {n} cases",
        "of_answers": "of {n} answers",
        "of_citizens": "of {n} residents",
        "days": "{n} days",
        "too_few": "too few",
        "by_month": "Cases by month",
        "by_month_label": "Cases received by month: {values}",
        "month": "Month",
        "cases": "Cases",
        "status": "Status",
        "by_service": "Cases by service",
        "service": "Service",
        "by_area": "Cases by area",
        "area": "Area",
        "no_area": "No area",
        "service_area": "Service and area",
        "total": "Total",
        "outcomes": "Where the cases stand",
        "outcomes_note": (
            "“Closed” is not “resolved”: a case rejected, a duplicate, or closed without a fix counts apart."
        ),
        "pending": "In progress",
        "resolved": "Resolved",
        "closed": "Closed",
        "rejected": "Rejected",
        "duplicate": "Duplicates",
        "satisfaction": "Satisfaction",
        "satisfaction_note": (
            "The 1 to 5 ratings residents give when their case is closed and after a conversation with "
            "a person."
        ),
        "rating": "Rating",
        "answers": "Answers",
        "after_case": "When a case closes",
        "after_conversation": "After talking to a person",
        "stars": "{n} of 5",
        "surveys": "Survey results",
        "surveys_none": "No survey closed in this period.",
        "binding": "Binding",
        "advisory": "Advisory",
        "closed_on": "Closed on {day}",
        "respondents": "{n} took part",
        "choice": "Choice",
        "answered": "{n} answered this question",
        "survey_mean": "average {mean} of 5",
        "text_answers": "{n} free-text answers: not published; the city reads them.",
        "as_table": "See the figures as a table",
        "open_data": "Open data",
        "privacy": "Privacy",
        "chat": "Write to the city",
        "other_language": "Español",
        "bad_period": "There is no such period. Choose 3, 6, 12 or 24 months.",
        "month_names": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    },
}

# How fast each area and channel is served (issue 19, part C).
WORDS["es"].update(
    {
        "served": "Qué tan rápido se atiende",
        "served_note": (
            "Casos recibidos en el periodo. Primera respuesta: la primera vez que una persona de la "
            "alcaldía escribió al vecino o movió el caso. «En plazo»: resueltos dentro de la meta de su "
            "dependencia; un caso abierto que ya la pasó cuenta como fuera de plazo."
        ),
        "by_channel": "Canal",
        "median_first": "Mediana hasta la primera respuesta",
        "median_resolution": "Mediana hasta resolver",
        "share_within": "Resueltos en plazo",
        "hours": "{n} h",
    }
)
WORDS["en"].update(
    {
        "served": "How fast people are served",
        "served_note": (
            "Cases received in the period. First response: the first time a person at the city wrote to "
            "the resident or moved the case. “Within target”: resolved within their department's "
            "target; an open case already past it counts as late."
        ),
        "by_channel": "Channel",
        "median_first": "Median to first response",
        "median_resolution": "Median to resolution",
        "share_within": "Resolved within target",
        "hours": "{n} h",
    }
)
