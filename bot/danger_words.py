"""What says someone is in danger: an emergency answered at once with the city's number (never a report),
and a hazard filed as usual with a safety note."""

from __future__ import annotations

import re

from bot.words import any_of

# --- Emergencies: answered at once with the city's emergency number, never a report. ---
EMERGENCY_PHRASES = any_of(
    # fire and smoke
    r"\bincendi[oa]s?\b|\bse (esta|estan) (incendiando|quemando) (la|el|una|un|mi|los|las)\b|"
    r"\b(en|hay|salen|saliendo|las) llamas\b|\b(sale|saliendo|sale mucho) humo\b|\bhumo (en|de) (la|el|mi|"
    r"una|un) (casa|edificio|apartamento|apto|cocina|local|carro|bus)\b|\b(llamen|llamar|llamo|vengan|manden)"
    r" (a )?los bomberos\b|\bse prend(e|io|io) fuego\b|"
    r"\bprendi(o|eron) fuego\b|\bfuego en\b|\bhay fuego\b|\bse incendia\b",
    r"\bon fire\b|\b(there s a|there is a|a|big|house|building|car|kitchen) fire\b(?! hydrant)|\bflames\b|"
    r"\bsmoke (coming|pouring|everywhere)\b|\bfire (brigade|department|fighters?)\b|\bburning (house|"
    r"building)\b",
    # gas
    r"\b(olor|olorcito|huele|hiede|apesta|tufo)\b.{0,25}\b(a|como a|de) gas\b|"
    r"\b(fuga|escape|salida) de gas\b|\bse (esta )?(sale|saliendo|escapando) el gas\b|\bgas natural\b.{0,20}"
    r"\b(huele|olor|fuga)\b",
    r"\bgas (leak|smell|leaking)\b|\bsmell(s|ing)? (of )?gas\b|\bleaking gas\b|\bsmells like gas\b",
    # violence and crime in progress
    r"\b(me|nos|lo|la|le|los|las|les) (estan|esta) (robando|atracando|asaltando|pegando|golpeando|matando|"
    r"apunalando|disparando|amenazando|violando|secuestrando|agrediendo)\b",
    r"\b(estan|esta) (robando|atracando|asaltando|golpeando|matando|apunalando|disparando|agrediendo)\b",
    r"\b(pelea|rina|pelean) con (cuchillos?|machetes?|armas?|navajas?|pistolas?)\b|\b(tipo|hombre|man|manes|"
    r"tipos|sujetos?) armados?\b|\barmad[oa]s? con\b|\bdisparos?\b|\bbalacera\b|\bbalazos?\b|\btiroteo\b|"
    r"\bbalean\b|\bpunalada\b|\bapunal\w*\b|\bacuchill\w*\b|\bme quieren? matar\b|\bviolencia\b|"
    r"\bsecuestr\w*\b",
    r"\bpolicia (ya|urgente|rapido)\b|\bllamen a la policia\b|\bmanden (a )?la policia\b",
    r"\b(a |someone |somebody |he |they |man |guy |guys |people )?(with|has|have|got) (a )?(gun|knife|"
    r"weapon)s?\b|"
    r"\bshoot(ing|ings)?\b|\bshots? fired\b|\bgunshots?\b|\bstabb(ed|ing)\b|"
    r"\bbeing (attacked|beaten|robbed|mugged|stabbed|assaulted|kidnapped)\b|\b(breaking|broke) in(to)?\b|"
    r"\brobbery\b|\b(mugging|mugged)\b|\bassault(ed|ing)?\b|\bkidnap\w*\b|\bhitting (a|his|her|the)\b|"
    r"\bcall the (police|cops)\b|\bsend (the )?(police|cops)\b",
    # a live wire
    r"\bcables?\b.{0,40}\b(chispas?|chispeando|chispazos?|echando chispas|electrificad[oa]s?|energizad[oa]s?|"
    r"con corriente|da corriente|vivos?|electrocut\w*|corrientazo)\b",
    r"\b(chispas?|chispeando|electrocut\w*|corrientazo)\b.{0,40}\bcables?\b|\belectrocut\w*\b",
    r"\blive (wire|cable|power line)s?\b|\bsparking\b|\bsparks\b|\belectrocut\w*\b",
)

# Someone hurt: an emergency when it is a person ("hay un perro herido" is a stray-animal report).
HURT_PHRASES = any_of(
    r"\bherid[oa]s?\b|\bno respira\b|\bno esta respirando\b|\binconsciente\b|\bdesmayad[oa]\b|\bse desmayo\b|"
    r"\bsangrando\b|\bsangra mucho\b|\bmucha sangre\b|\bambulancia\b|\binfarto\b|\bconvulsi\w*\b|"
    r"\bse (esta )?ahogando\b|\batropell(o|aron|ado|ada)\b|\bse muere\b|\bse esta muriendo\b|\bmalherid\w*\b|"
    r"\blesionad[oa]s?\b",
    r"\bnot breathing\b|\bisn ?t breathing\b|\bcan ?t breathe\b|\bunconscious\b|\bpassed out\b|\bbleeding\b|"
    r"\b(someone|somebody|people|person|kid|child|man|woman|guy|he|she|they) (is |are |got |was |were )?"
    r"(badly )?(hurt|injured)\b|\binjured\b|\bambulance\b|\bheart attack\b|\bdrowning\b|\boverdos\w*\b|"
    r"\b(hit|run over) by a (car|truck|bus)\b|\bdying\b",
)
ANIMAL = re.compile(
    r"\b(perr[oa]s?|perrit[oa]s?|gat[oa]s?|gatit[oa]s?|animal(es|ito)?|caballos?|vacas?|burros?|palomas?|"
    r"pajar\w*|dogs?|puppy|cats?|kittens?|horses?|birds?|fox|deer|pigeons?)\b"
)
# Words that look like an emergency and are not: fireworks, the firemen's hydrant.
NOT_EMERGENCY = re.compile(
    r"\bdisparos? de polvora\b|\bfuegos? artificiales\b|\bpolvora\b|\bfireworks?\b|"
    r"\bhidrante( de (los )?bomberos)?\b|\bfire hydrant\b"
)

# "no sparks", "sin heridos": a hazard the citizen says is absent is not an emergency.
ABSENT_HAZARD = re.compile(
    r"\b(?:no|not|sin|without|no hay|there are no|there s no|nobody|nadie)\s+(?:any\s+)?(?:sparks?|sparking|"
    r"chispas?|humo|smoke|fire|fuego|heridos?|herida|injur\w*|hurt|injured)\b"
)


def emergency_in(said: str) -> bool:
    """Whether folded text says there is an emergency, by the phrase lists alone."""
    said = NOT_EMERGENCY.sub(" ", ABSENT_HAZARD.sub(" ", said))
    if EMERGENCY_PHRASES.search(said):
        return True
    return HURT_PHRASES.search(said) is not None and ANIMAL.search(said) is None


# --- Safety-related reports: filed as usual, with a one-line safety note (texts safety_<hazard>). ---
SAFETY_HAZARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "wire",
        any_of(
            r"\bcables?( de luz| electricos?| de energia| de alta)?\b.{0,25}\b(caid[oa]s?|colgando|"
            r"suelt[oa]s?|"
            r"en el (piso|suelo)|pelad[oa]s?|al aire|rot[oa]s?|bajit[oa]s?|reventad[oa]s?)\b",
            r"\bposte( de luz)? (caido|se cayo|tumbado|en el piso|a punto de caer|inclinado)\b|\bse cayo "
            r"(el|un) poste\b",
            r"\b(fallen|downed|hanging|loose|low) (power |electric |electrical )?(lines?|wires?|"
            r"cables?|pole)\b|"
            r"\b(power )?(line|wire|cable)s? (is |are )?(down|hanging|dangling)\b|\bpole (fell|down|"
            r"is down)\b",
        ),
    ),
    (
        "manhole",
        any_of(
            r"\b(alcantarilla|registro|pozo|sumidero|manhole|boca de tormenta)\b.{0,30}\b(sin tapa|"
            r"destapad[oa]|"
            r"abiert[oa]|sin la tapa)\b",
            r"\b(sin|falta la|se robaron la|robaron la|no tiene) tapa\b|\btapa de (la )?(alcantarilla|"
            r"registro)\b",
            r"\bopen manhole\b|\b(missing|no|stolen) (manhole |drain |sewer )?(cover|lid)\b|"
            r"\bmanhole (cover )?(s |is )?(missing|open|gone)\b|\buncovered (manhole|drain)\b",
        ),
    ),
)

# The service a hazard is most likely reported under, when the classifier names none.
HAZARD_SERVICES = {"wire": "streetlight", "manhole": "sewer"}
