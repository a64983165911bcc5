"""How citizens ask for their data rights, folded (no accents, lower case): see, download, correct, erase.

Commands with legal effect are matched by explicit phrases, never by a classifier's guess; an erasure is
confirmed twice besides. Each pattern needs the citizen's own data ("mis datos", "my info", "mi cuenta"),
so "borra el reporte" (a cancel) and "datos de la alcaldía" are not requests."""

from __future__ import annotations

import re

from bot.words import any_of

# "mis datos", "mi info", "mi informacion personal", "my data", "my details": what the request is about.
_MINE = (
    r"(mis|todos mis|mi|toda mi|my|all my|all of my) ?(datos|dato|info|informacion|informacion personal|"
    r"datos personales|data|details|personal data|personal information|information|historial|history|"
    r"cuenta|account|conversaciones|mensajes|messages)"
)
_ME = r"(me|todo de mi|todo lo mio|everything about me|all about me)"

ERASE = any_of(
    rf"\b(borr|elimin|suprim|quit|destru|cancel)\w* {_MINE}\b",
    rf"\b(borren|borrar|borra|borrame|eliminen|eliminar|elimina|eliminame|suprimir)\w* (todo )?{_MINE}\b",
    rf"\b(quiero|queremos|pido|solicito|necesito|deseo|puedo|podes|pueden|quisiera)( que)? "
    rf"(borr|elimin|suprim)\w*( todos)?( de)? {_MINE}\b",
    r"\b(olvidenme|olvidame|olvidate de mi|olvidense de mi|borrenme|borrame|eliminenme|eliminame)\b",
    r"\bderecho (al olvido|de supresion|de cancelacion)\b",
    rf"\b(delete|erase|remove|wipe|forget|destroy)\w* {_MINE}\b",
    r"\b(delete|erase|remove|forget|wipe) (me|everything about me|all about me)\b",
    r"\bright to (be forgotten|erasure)\b",
)
EXPORT = any_of(
    rf"\b(descarg|baj|export|envi|mand|pas|dame|den|copia)\w*( una copia de| copia de| todos)? {_MINE}\b",
    rf"\b(download|export|send|email|copy of|a copy of|get)\w*( me)?( a copy of)? {_MINE}\b",
    r"\bportabilidad\b|\bdata portability\b",
    # "quiero una copia de mis datos"; and "descargar" as thumbs type it: "descrgar", "descagar", "decargar".
    rf"\bcopia (de |con )?{_MINE}\b",
    rf"\b(descr?a?r?g|desac?a?rg|decarg|dezcarg)\w* {_MINE}\b",
)
CORRECT = any_of(
    r"\b(mi|my) (nombre|name|apellido|surname|last name|direccion|address|telefono|phone|numero|number|"
    r"correo|email|cedula)\b.{0,20}\b(esta|estan|es|is|are|quedo|salio)? ?(mal|malo|equivocad[oa]|"
    r"incorrect[oa]?|wrong|errado|erroneo|mal escrito|misspelled|incorrectly)\b",
    r"\b(cambia|cambien|cambiar|corrige|corrijan|corregir|actualiza|actualicen|actualizar|modifica|"
    r"modificar|change|correct|fix|update)\w* (mi|my) (nombre|name|apellido|surname|direccion|address|"
    r"telefono|phone|numero|number|correo|email)\b",
    rf"\b(corregir|rectificar|actualizar|correct|rectify|update)\w* {_MINE}\b",
    r"\brectificacion\b",
)
# "Mis datos" is asked in many ways, but "datos" are also a phone's mobile data ("se me acabaron los
# datos") and "mi cuenta" a bill ("revisar mi cuenta del agua"): a question counts only when it is about
# the person ("de mí", "about me", "míos") or the whole message names their data.
_SEEN = (
    r"(mis|todos mis|mi|toda mi|my|all my|all of my) ?(datos|dato|info|informacion|informacion personal|"
    r"datos personales|data|details|personal data|personal details|personal information|information|"
    r"historial|history)"
)
_ABOUT_ME = r"(de mi|de mi persona|sobre mi|acerca de mi|about me|on me|of me)"
_PLEASE = r"( (por favor|porfa|porfis|pls|please|plz|ahi|ahora|exactamente|exactly|ustedes|you))*"
_HOLD = (
    r"(tienen|tiene|tenes|teneis|guardan|guarda|guardas|guardais|saben|sabe|sabes|sabeis|hay|have|keep|hold|"
    r"store|know|got)"
)
SEE = any_of(
    rf"^(ver |veo |mostrar |muestrame |muestreme |muestrenme |mostra |mostrame |quiero ver |show |show me |"
    rf"see |view |check )?{_MINE}{_PLEASE}$",
    rf"\b(que|q|cuales|which|what|wat)( \w+){{0,3}} {_HOLD}( \w+){{0,2}} {_ABOUT_ME}{_PLEASE}$",
    r"\b(que|q|cuales|which|what) (datos|data|info|informacion|information)( personales| personal)? "
    r"(mios|mias|of mine)\b",
    r"\b(que|q|cuales|which|what) (datos personales|informacion personal|personal data|personal details|"
    r"personal information|personal info)( \w+){0,2} (tienen|guardan|tiene|guarda|have|keep|hold|store)\b",
    rf"\b(que|q|cuales|which|what) {_MINE} (tienen|guardan|tiene|guarda|hay|tenes|"
    r"do you (have|keep|hold|store))\b",
    rf"\b(tienen|guardan|tiene|guarda|do you have|do you keep|do you store|do you hold) {_SEEN}\b",
    rf"\b(ver|mostrar|muestrame|muestreme|mostrame|consultar|revisar|conocer|acceder a|see|show me|view|"
    rf"access|check|cuales son|what is|what are|what s)\w* {_SEEN}\b",
    r"^(mi |la |ver la |ver |tu |su |your |the )?(privacidad|privacy|habeas data|proteccion de datos|"
    r"data protection)( policy| notice)?$",
    r"\b(politica de privacidad|politica de datos|aviso de privacidad|privacy policy|privacy notice|"
    r"habeas data)\b",
)


# "BORRAR", "ok entonces si, borren todo": an erasure only outside a report (inside one, "borra todo" is
# the citizen cancelling the report: bot/anytime_words.py). Asked twice either way.
ERASE_ALONE = re.compile(
    r"^((ok|okay|bueno|entonces|si|dale|ya|pues|mejor)\s+)*(borr|elimin)\w*(\s+(todo|todos|todo eso))?$"
    r"|^(delete|erase)( (it|everything|all))?$"
)


def request_in(said: str) -> str | None:
    """The data-rights request a folded message makes, if any: erase, export, correct or see (in that
    order: "borrar mis datos" also names "mis datos")."""
    for kind, pattern in (("erase", ERASE), ("export", EXPORT), ("correct", CORRECT), ("see", SEE)):
        if pattern.search(said):
            return kind
    return None
