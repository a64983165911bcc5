"""What a citizen wrote in a mail, without the earlier mail their client quoted below it or their signature.

Mail clients append the whole thread to a reply; classifying that would read our own last question as the
citizen's answer. The first line that starts quoted text or a signature ends what they wrote now; lines
quoted with "> " anywhere are dropped.
"""

from __future__ import annotations

import re

# "El lun, 7 dic 2026 a las 10:00, Ana <ana@x> escribió:" (Gmail in Spanish), "On Mon, … wrote:", also
# wrapped over two lines as Gmail does for a long name; "escribio" without its accent, as some type it.
_ATTRIBUTION = re.compile(
    r"^[ \t]*(el|on|le|em|am)\b[^\n]{0,200}(\n[^\n]{0,200})?\b(escribi[oó]|wrote|a écrit|escreveu|schrieb)"
    r"[ \t]*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook's header block of the quoted mail: "De: …" then "Enviado: …" (or From:/Sent:) within a few lines.
_OUTLOOK = re.compile(
    r"^[ \t*]*(de|from)[ \t*]*:[^\n]*\n([^\n]*\n){0,3}?[ \t*]*(enviado( el)?|sent|fecha|date)[ \t*]*:",
    re.IGNORECASE | re.MULTILINE,
)
_CUTS = (
    re.compile(
        r"^[ \t]*-{2,}[ \t]*(original message|mensaje original|forwarded message|mensaje reenviado)"
        r"[ \t]*-{2,}",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(r"^_{20,}[ \t]*$", re.MULTILINE),  # Outlook's rule above the quoted header block
    re.compile(r"^-- ?$", re.MULTILINE),  # the signature separator (RFC 3676 says "-- ")
    re.compile(
        r"^[ \t]*(enviado desde mi|sent from my|enviado de mi|obtener outlook para|get outlook for)\b",
        re.IGNORECASE | re.MULTILINE,
    ),
)

# A closing on the last lines ("Atentamente,", "Saludos cordiales", "Best regards,"), maybe with a name in
# capitals after it: not part of the complaint the bot files (a "-- " signature went already).
_CLOSING = re.compile(
    r"\n[ \t]*(?i:atentamente|cordialmente|saludos( cordiales)?|un saludo|muchas gracias|gracias|"
    r"quedo atent[oa]|regards|best regards|kind regards|best|thanks|thank you|sincerely|cheers)"
    r"[ \t]*[,.!]?[ \t]*(\n[ \t]*[A-ZÁÉÍÓÚÑ][^\W\d_]*\.?([ \t]+[A-ZÁÉÍÓÚÑ][^\W\d_]*\.?){0,4}[ \t]*){0,2}\s*$"
)


def fresh_text(body: str) -> str:
    """The part of `body` the citizen wrote in this mail: quoted mail, signatures and "> " lines gone."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    for pattern in (_ATTRIBUTION, _OUTLOOK, *_CUTS):
        found = pattern.search(text)
        if found is not None:
            cut = min(cut, found.start())
    kept = [line.rstrip() for line in text[:cut].split("\n") if not line.lstrip().startswith(">")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return _CLOSING.sub("", text).strip() or text
