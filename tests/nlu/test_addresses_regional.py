"""Addresses as citizens of each country type them: the whole place, never a fragment, never the sentence.

Lower case, no accents and typos on purpose: that is how most messages arrive.
"""

from __future__ import annotations

import pytest

from nlu.entities import extract_entities


def addresses(text: str) -> list[str]:
    return [e.value for e in extract_entities(text) if e.entity == "address"]


COLOMBIA = [
    ("avenida caracas con calle 45", "avenida caracas con calle 45"),
    (
        "hay un hueco enorme en la avenida caracas con calle 45 desde hace un mes",
        "avenida caracas con calle 45",
    ),
    ("cll 13 con kra 7", "cll 13 con kra 7"),
    ("el semaforo de la cll 13 con kra 7 no funciona", "cll 13 con kra 7"),
    ("cra 8 # 20-30", "cra 8 # 20-30"),
    ("vivo en la cra 8 #20-30 y no pasa el camion", "cra 8 #20-30"),
    ("calle 45 #12-30 barrio la floresta", "calle 45 #12-30 barrio la floresta"),
    ("mi casa es calle 45 # 12-30, barrio la floresta, bogota", "calle 45 # 12-30, barrio la floresta"),
    ("kr 15 n 80-21", "kr 15 n 80-21"),
    ("la direccion es kr 15 n 80-21 apto 302", "kr 15 n 80-21 apto 302"),
    ("diagonal 45 sur con transversal 3", "diagonal 45 sur con transversal 3"),
    ("huele feo en la diagonal 45 sur con transversal 3", "diagonal 45 sur con transversal 3"),
    ("en la autopista norte con 170", "autopista norte con 170"),
    ("accidente en la autopista norte con 170, hay trancon", "autopista norte con 170"),
    ("hay un hueco en la cale 45 con carerra 20", "cale 45 con carerra 20"),  # typos
    ("avenidad boyaca con calle 80", "avenidad boyaca con calle 80"),
    ("buenas, hueco en la cll 80 con av boyaca, ya se cayo un motociclista", "cll 80 con av boyaca"),
    ("en la avenida primero de mayo con carrera 68 hay agua", "avenida primero de mayo con carrera 68"),
    ("Por favor recojan la basura de la Cra. 9 No. 12-34", "Cra. 9 No. 12-34"),
    ("vivo en la transversal 74 # 11-20 int 3", "transversal 74 # 11-20 int 3"),
    ("carrera 7 # 45-10 torre 2 apto 502", "carrera 7 # 45-10 torre 2 apto 502"),
    ("se robaron la tapa en la dg 40 sur # 21-35", "dg 40 sur # 21-35"),
    ("el arbol de la cl 72 con cra 11 se va a caer", "cl 72 con cra 11"),
    ("hay basura en la av. 68 con calle 13, frente al exito", "av. 68 con calle 13, frente al exito"),
    ("calle 10 no 5-20", "calle 10 no 5-20"),
]

MEXICO = [
    ("calzada de tlalpan a la altura del 1500", "calzada de tlalpan a la altura del 1500"),
    (
        "hay un poste caido en calzada de tlalpan a la altura del 1500",
        "calzada de tlalpan a la altura del 1500",
    ),
    ("en la calzada de tlalpan 1500 no hay luz", "calzada de tlalpan 1500"),
    ("Reforma 222, Col. Juárez", "Reforma 222, Col. Juárez"),
    ("estoy en Reforma 222, Col. Juárez, no hay agua", "Reforma 222, Col. Juárez"),
    ("av insurgentes sur 1602 col credito constructor", "av insurgentes sur 1602 col credito constructor"),
    (
        "av insurgentes sur 1602 col credito constructor sin luz",
        "av insurgentes sur 1602 col credito constructor",
    ),
    (
        "fuga en av. insurgentes sur 1602, col. credito constructor",
        "av. insurgentes sur 1602, col. credito constructor",
    ),
    ("eje central esquina con madero", "eje central esquina con madero"),
    (
        "en eje central lazaro cardenas esquina con madero hay un bache",
        "eje central lazaro cardenas esquina con madero",
    ),
    ("calle Morelos esquina Juárez", "calle Morelos esquina Juárez"),
    ("Juárez esq. Madero", "Juárez esq. Madero"),
    ("eje 5 sur con calzada de tlalpan", "eje 5 sur con calzada de tlalpan"),
    ("periferico sur 4000", "periferico sur 4000"),
    ("en la colonia del valle no hay agua", "colonia del valle"),
]

SPAIN = [
    ("Paseo de la Castellana 100", "Paseo de la Castellana 100"),
    ("en el paseo de la castellana 100 hay obras sin permiso", "paseo de la castellana 100"),
    ("c/ Alcalá 45", "c/ Alcalá 45"),
    ("farola rota en c/ alcala 45", "c/ alcala 45"),
    ("hay un coche abandonado en la c/ mayor 3", "c/ mayor 3"),
    ("plaza mayor 3", "plaza mayor 3"),
    ("la plaza mayor 3 esta llena de basura", "plaza mayor 3"),
    ("avda. de america 12", "avda. de america 12"),
    ("en la avda de america 12 hay ruido", "avda de america 12"),
    ("necesito reportar un poste en la calle de alcala 45, madrid", "calle de alcala 45"),
]

ARGENTINA = [
    ("Corrientes y Callao", "Corrientes y Callao"),
    ("en Corrientes y Callao hay un pozo", "Corrientes y Callao"),
    ("en Mitre 450", "Mitre 450"),
    ("vivo en mitre 450", "mitre 450"),
    ("av. rivadavia al 5400", "av. rivadavia al 5400"),
    ("el arbol de av. rivadavia al 5400 se cae", "av. rivadavia al 5400"),
    ("sobre av santa fe al 3200 hay un pozo", "av santa fe al 3200"),
    ("en Rivadavia al 5400", "Rivadavia al 5400"),
    ("esquina de santa fe y pueyrredon", "esquina de santa fe y pueyrredon"),
    ("en la esquina de santa fe y pueyrredon no hay luz", "esquina de santa fe y pueyrredon"),
    ("en av corrientes 1234 no hay luz", "av corrientes 1234"),
    ("hace 3 dias no pasa la recoleccion por calle los aromos 77", "calle los aromos 77"),
    ("el sauce de pasaje los olmos 34 esta hueco", "pasaje los olmos 34"),
]

LANDMARKS = [
    ("frente a la iglesia del barrio", "frente a la iglesia del barrio"),
    ("tiraron basura frente a la iglesia del barrio", "frente a la iglesia del barrio"),
    ("por la tienda de don Pedro", "tienda de don Pedro"),
    ("por la tienda de don pedro hay un hueco", "tienda de don pedro"),
    ("en la tienda de doña rosa venden licor", "tienda de doña rosa"),
    ("al lado del colegio san jose", "al lado del colegio san jose"),
    ("por el colegio san jose hay ratas", "colegio san jose"),
    ("detrás del hospital", "detrás del hospital"),
    ("detras del hospital hay ratas", "detras del hospital"),
    ("en la esquina del parque", "esquina del parque"),
    ("near the bus stop on Main St", "near the bus stop on Main St"),
    ("there's trash near the bus stop on main st", "near the bus stop on main st"),
    ("223 Baker St", "223 Baker St"),
    ("corner of 5th and Main", "corner of 5th and Main"),
    ("the streetlight at the corner of main and 3rd is out", "at the corner of main and 3rd"),
    ("the tree by the metro station on 8th is cracked", "by the metro station on 8th"),
]

ENGLISH = [
    ("change the address to 223 Baker St", "223 Baker St"),
    ("change the address to 223 baker st please", "223 baker st"),
    ("it's at 1200 Elm Street apt 4", "1200 Elm Street apt 4"),
    ("the tree at 1200 elm st, apt 4 is falling", "1200 elm st, apt 4"),
    ("my address is 12 oak lane apt 3b", "12 oak lane apt 3b"),
    ("i live at 77 sunset blvd", "77 sunset blvd"),
    ("water leak at 450 park ave", "450 park ave"),
    # a street right after "in front of" is the place itself
    ("a chunk of asphalt is missing in front of 5510 Cedar Lane", "5510 Cedar Lane"),
    ("i think a water line broke near Calle 80 and Av Boyaca", "Calle 80 and Av Boyaca"),
]

NOT_THE_REST_OF_THE_SENTENCE = [
    ("en la calle 45 con 27, ya se cayeron dos motos", "calle 45 con 27"),
    ("es la carrera 15 no la 13", "carrera 15"),  # a correction, not one place
    ("la calle 45 no 46, perdon", "calle 45"),
    ("la dirección era otra: Mitre 450", "Mitre 450"),
    ("la direccion era otra: mitre 450", "mitre 450"),
    ("en la calle 45 con 3 huecos", "calle 45"),
    ("autopista norte con 170 hay trancon", "autopista norte con 170"),
    ("calle 45 con 27 barrio centro", "calle 45 con 27 barrio centro"),
    ("calle 45 con 27 frente al parque", "calle 45 con 27 frente al parque"),
]


# A saint's name costs a lower-case landmark nothing, so its "del barrio" or "de la …" stays with it.
SAINTS = [
    (
        "botaron un monton de escombros frente a la parroquia san jose del barrio",
        "frente a la parroquia san jose del barrio",
    ),  # Colombia
    ("por el colegio san jose del barrio hay ratas", "colegio san jose del barrio"),
    (
        "hay basura frente a la iglesia santa maria de los angeles",
        "frente a la iglesia santa maria de los angeles",
    ),  # Mexico
    (
        "tiraron un colchon al lado de la capilla san cayetano del barrio",
        "al lado de la capilla san cayetano del barrio",
    ),  # Argentina
    ("en la parroquia santa rosa de lima no hay luz", "parroquia santa rosa de lima"),  # Peru
    # no saint: the name stops where its lower-case words run out, never on a dangling "del"
    ("frente al colegio simon bolivar del barrio", "frente al colegio simon bolivar"),
]

# Lower case, no number: a street word after a name is a street right after a word that places it.
LOWER_CASE_STREETS = [
    (
        "theres loads of rubbish dumped in the lane behind cathays terrace mattress fridge the lot",
        "cathays terrace",
    ),  # Wales
    ("fly tipping off penylan close again", "penylan close"),
    ("streetlight out on maple crescent", "maple crescent"),
    ("the bins on willow grove werent collected", "willow grove"),
    ("bins overflowing again on elm gardens", "elm gardens"),
]

# A street or corner talked of, then named: "la otra calle, Orizaba con Puebla" (a correction, often).
NAMED_AFTER_STREET_WORD = [
    ("no no, la otra calle, Orizaba con Puebla. Durango es la de atras", "Orizaba con Puebla"),  # Mexico
    ("me equivoque de esquina, es Corrientes y Callao", "Corrientes y Callao"),  # Argentina
    ("no era esa cuadra, es Providencia con Suecia", "Providencia con Suecia"),  # Chile
    ("perdon, la calle correcta es Boyacá con Caracas", "Boyacá con Caracas"),  # Colombia
    ("wrong corner, it's Elm and Oak", "Elm and Oak"),
    ("sorry wrong street, Elm & Oak", "Elm & Oak"),
    ("la calle es de Juárez con Madero", "Juárez con Madero"),  # the names, not the "de" before them
]


@pytest.mark.parametrize(
    ("text", "place"),
    COLOMBIA
    + MEXICO
    + SPAIN
    + ARGENTINA
    + LANDMARKS
    + ENGLISH
    + NOT_THE_REST_OF_THE_SENTENCE
    + SAINTS
    + LOWER_CASE_STREETS
    + NAMED_AFTER_STREET_WORD,
)
def test_the_whole_place_and_nothing_else(text: str, place: str) -> None:
    assert addresses(text) == [place]


@pytest.mark.parametrize(
    "text",
    [
        "no tengo cámara",
        "hay un hueco enorme",
        "mejor no",
        "la luz no prende desde ayer",
        "frente a mi casa",  # nobody else can find it
        "hay un hueco frente a mi casa",
        "tengo 3 hijos y 2 perros",
        "el camion pasa a las 5 de la tarde",
        "a la altura de mi casa",
        "no estuvieron a la altura de las circunstancias",
        "ya vamos al 100",
        "la calle esta rota",
        "la avenida tiene muchos huecos",
        "la calle principal esta oscura",
        "la avenida principal con 3 carriles",
        "una avenida nueva y 3 puentes",
        "la calle nueva con 2 huecos",
        "hay un corto circuito en el poste",
        "el eje del carro se rompio",
        "hay plaza para 3 carros",
        "vivo solo con 2 gatos",
        "vivo hace 20 anos aca",
        "mi direccion es la misma",
        "cambie de direccion hace 2 meses",
        "the address has 2 typos",
        "i live with 3 roommates",
        "en el piso 3 hay goteras",
        "la torre 2 se inundo",
        "hola y gracias",
        "Hola y Gracias",
        "si y no",
        "es la 13 no la 15",
        "le pregunte a don pedro",
        "cuestan 45 mil c/u",
        "call 911",
        "el 5 de mayo",
        "queda en 2 dias",
        # a street word in lower case that says what kind of street, not which one
        "car parked in bus lane all day",
        "cars parked in the cycle lane again",
        "stuck in traffic on ring road",
        "there is glass all over the road",
        "flooding on the road again",
        "they dug up the road and left it",
        "parked too close to my drive",
        "please close the gate",
        "on my way home",
        # a lower-case road, street or lane after a word that places it is a kind of road, not its name
        "potholes on each road in the estate",
        "i fell on steep road near school",
        "in dark road no lights at all",
        "lights out on residential road",
        "big pothole on oak street",  # a capital or a number would make it one: "Oak Street", "12 oak st"
        # names after a street or corner word that are people, not its crossing
        "la calle estaba llena, Juan y Pedro la limpiaron",
        "en la esquina estaban Juan y Maria tomando",
        "en la esquina vi a Juan y Pedro",
        "in the street Tom and Jerry were fighting",
        "the road was blocked and Tom and Jerry helped",
        "hay un bache enorme en la esquina, Pedro y Juan casi se caen anoche",
        "big pothole on the corner, Tom and Jerry nearly fell off their bikes",
    ],
)
def test_no_place_in_ordinary_sentences(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "frente al parque botaron escombros del edificio",
        "frente al colegio simon bolivar del barrio hay basura",
        "cerca de la escuela normal superior de los andes",
        "in front of the old fire station of the town",
    ],
)
def test_a_place_never_ends_on_a_connector(text: str) -> None:
    """ "frente a la parroquia san jose del" is no place anyone can find: when a lower-case name has used
    its words, it stops before the "del", "de los" or "of the" that it cannot finish."""
    found = addresses(text)
    assert found
    assert all(place.split()[-1].lower() not in ("de", "del", "of", "la", "los", "the") for place in found)


@pytest.mark.parametrize(
    "unit", ["avenida x con ", "eje x esquina con ", "avenida caracas y avenida ", "av. x al 12 con "]
)
def test_a_long_chain_of_lower_case_crossings_is_one_place_without_deep_recursion(unit: str) -> None:
    """Each crossing is checked one street ahead, not down the whole chain (2,000 streets here)."""
    text = unit * 2000
    [place] = extract_entities(text)
    assert place.start == 0 and place.end > 4900


# What Whisper writes from a voice note ends with a full stop: the place the citizen is read back is the
# place, not "Main Street." (issue 18: "Got it: Pothole, at … Main Street..").
TRANSCRIBED = [
    ("a big pothole in front of the school on Main Street.", "in front of the school on Main Street"),
    ("hay un bache muy grande en la calle 10 con carrera 15.", "calle 10 con carrera 15"),
    ("se dañó la luminaria de la cra 8 # 20-30!", "cra 8 # 20-30"),
]


@pytest.mark.parametrize(("text", "place"), TRANSCRIBED)
def test_a_sentences_full_stop_is_not_part_of_the_place(text: str, place: str) -> None:
    assert addresses(text) == [place]
