"""The words the address finder knows: street types, landmark prepositions, words that end a name."""

from __future__ import annotations


def _words(text: str, sep: str | None = None) -> frozenset[str]:
    return frozenset(text.split(sep))


# All lower-case and without accents: the finder compares folded tokens.

# Spanish street words come before the name ("calle Los Olmos", "cra 7"), with common typos.
ES_STREET = _words(
    "calle carrera avenida diagonal transversal pasaje jiron autopista calzada callejon bulevar boulevard "
    "camino carretera paseo prolongacion privada cerrada andador circunvalar troncal ruta "
    "barrio colonia urbanizacion fraccionamiento localidad comuna "
    "eje periferico viaducto circuito alameda rambla costanera malecon plaza "
    "cale carerra carrea carrrera karrera avenidad avendia abenida trasversal tranversal diagnal calsada"
)
# Abbreviations that are also short words elsewhere: they need a number, a dot or a capitalised name.
ES_STREET_ABBR = _words(
    "cll cl clle kll cra crr cr kr kra carr ak av avda dg diag tv tr transv psje pje jr col urb "
    "calz ctra pza gta bv bvd blvr prol priv cda"
)
# These read as street words without a dot too ("av insurgentes sur 1602", "cll 13 con kra 7"): a
# lower-case name may follow them when a number, a house number or a crossing street comes after it.
ES_STREET_ABBR_SURE = _words("cll clle kll cra crr kr kra carr ak av avda dg diag transv psje pje calz ctra")
# A neighbourhood after a street ("calle 45 #12-30 barrio la floresta", "Reforma 222, Col. Juárez").
LOCALITY = _words("barrio bo colonia col urbanizacion urb fraccionamiento fracc conjunto sector comuna")
# Part of a building after the street: "1200 Elm Street apt 4", "cra 7 # 12-30 apto 301".
UNIT = _words(
    "apt apartment unit suite ste apto apartamento depto departamento dpto dto int interior piso torre "
    "bloque casa local oficina lote manzana mz lt"
)
# English street words come after the name ("Main St"); these come before a number ("Route 9").
EN_STREET = _words(
    "street st avenue ave av road rd boulevard blvd lane ln drive dr way place pl court ct highway hwy "
    "parkway pkwy terrace ter square sq alley circle cir trail expressway freeway park plaza "
    "crescent close grove mews gardens"
)
# Typed in a hurry these come lower-case ("maple dr"); the full words in lower case are usually not a
# street's name ("the bike lane", "the whole avenue").
EN_STREET_ABBR = _words("st ave av rd blvd ln dr pl ct hwy pkwy ter sq cir")
# … unless the name comes right after a word that places something, with no article: "behind cathays
# terrace", "off penylan close". Only the street words that are seldom anything else after a word:
# "on steep road", "in dark road", "on each road" describe a road, so lower-case "road", "street", "lane"
# (and "way", "place", "park": "in any way", "in car park") still need a capital or a number.
EN_STREET_LOWER = _words("terrace crescent close grove mews gardens")
EN_PLACE_BEFORE = _words("on in at behind near by opposite outside off along beside past down onto into")
# Words that say what kind of street it is, not which: "in bus lane", "on the slip road", "on ring road".
EN_STREET_KIND = _words(
    "bus cycle bike slip ring side back dirt service access link private country dual traffic car "
    "busy quiet narrow wide long short whole same other next last first new old wrong front fast slow "
    "outside inside middle left right main test hard"
)
# "close to the park", "parked too close by": "close" as a word of distance, not a street.
CLOSE_AS_NEAR = _words("to by up enough")
EN_NUMBERED = _words("route highway hwy interstate")
# "street light", "road work": a street word used as an adjective, not a street.
COMPOUND_AFTER = _words("light lights lamp lamps lamppost sign signs sweeper vendor vendors work works")
DIRECTION = _words("sur norte este oeste oriente occidente bis n s e w north south east west")
HOUSE_NO = _words("# no nro num numero n")
DASH = frozenset("-‐‑–")

PREPOSITIONS = tuple(
    tuple(p.split(" "))
    for p in _words(
        "frente a|frente al|frente de|frente del|en frente de|en frente del|enfrente de|enfrente del|"
        "al frente de|al frente del|al lado de|al lado del|a lado de|junto a|junto al|cerca de|cerca del|"
        "detras de|detras del|atras de|atras del|delante de|delante del|diagonal a|diagonal al|contiguo a|"
        "contiguo al|a la vuelta de|a la vuelta del|a una cuadra de|a una cuadra del|a media cuadra de|"
        "a media cuadra del|afuera de|afuera del|a la salida de|a la salida del|a la entrada de|"
        "a la entrada del|esquina de|esquina del|in front of|next to|across from|"
        "across the street from|opposite|opposite to|near|close to|behind|beside|outside|outside of|by|"
        "around the corner from|at the corner of|on the corner of|the corner of|corner of|"
        "intersection of|down the street from|at the entrance of|at the entrance to",
        sep="|",
    )
)
CORNER = frozenset({"esquina", "corner", "intersection"})
JOIN = _words("y con and & with x esq esquina")
# A crossing after these is certain enough for a lower-case name ("eje central esquina con madero").
CORNER_JOIN = _words("esq esquina")
# After a lower-case street name only these say a crossing follows ("autopista norte con 170").
STRONG_JOIN = _words("con x esq esquina with")
BETWEEN = frozenset({"entre", "between"})
# Where a bare name is a place: "en Rivadavia y Acoyte", "sobre Reforma 222".
PLACE_PREPOSITION = _words("en sobre de del entre")
# A landmark after one of these can be found by someone else ("frente a la iglesia"); "frente a mi
# casa" or "by a truck" cannot, and annotators do not mark them.
DEFINITE = _words("el la los las the this that")
DETERMINER = _words("el la los las un una mi mis nuestra nuestro the a an my our this that his her")
CONNECTOR = _words("de del of")
# "la tienda de don Pedro": a title before a name.
HONORIFIC = _words("don dona sr sra senor senora mr mrs ms")
# "colegio san jose", "barrio santa fe": a saint's name, in lower case too.
SAINT = _words("san santa santo")
# After these a bare name and number is an address ("la dirección era otra: Mitre 450").
ADDRESS_CUE = _words("direccion direcciones domicilio ubicacion address")
# … and after "vivo en", "queda en", "live at", "located on".
LIVE_CUE = _words("vivo vive vivimos viven queda quedo ubicado ubicada ubicados live lives located")
LIVE_CUE_AFTER = _words("en at on in")
# A street or a corner talked of, then named ("no, la otra calle: Orizaba con Puebla", "wrong corner,
# it's Elm and Oak"): two capitalised names joined right after are that street's crossing. After a
# street word only "con" or "&" joins them; after a corner word "y" and "and" do too.
STREET_TALK = _words("calle calles avenida avenidas cuadra street road avenue")
CORNER_TALK = _words("esquina cruce interseccion corner intersection crossing")
# What may come between the word and the names: "la calle correcta es Orizaba con Puebla", not "en la
# calle estaban Juan con Pedro".
# What may follow a crossing named after street talk, in the same clause: "Orizaba con Puebla, colonia Roma".
AFTER_CROSSING = _words("colonia col barrio sector zona en in por please porfa")
TALK_FILLER = _words("es era seria is was it's it’s its it correcta correct right real mas bien")
# A reply of two names joined by "y" ("Corrientes y Callao") is a corner unless it is one of these.
NOT_A_STREET = _words(
    "hola buenas buenos gracias si ok okay vale listo dale bueno chau adios saludos hello hi hey thanks "
    "thank yes yeah yep bye good fine"
)
# Capitalised, but a date rather than a place ("on Monday", "en Mayo 15").
CALENDAR = _words(
    "lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril mayo junio julio "
    "agosto septiembre octubre noviembre diciembre monday tuesday wednesday thursday friday saturday "
    "sunday january february march april june july august september october november december"
)
# Words that end a place name: verbs, pronouns, time words and the small words between clauses.
STOP = _words(
    "de del que donde hay esta estan es son fue ha han hace lleva llevan tiene tienen sigue siguen "
    "desde hasta por para porque pero y e o u con sin ya no se lo le les nos me te su sus muy mas "
    "cuando como todo toda todos hoy ayer en a al sobre entre favor dias semanas meses vez dia semana "
    "mes noche tarde manana momento hora fin the is are was were there that which who since for and "
    "or but with has have had been it its to from at on in of by near as so if this these those my "
    "our your his her their we i you they he she please pls again still now today yesterday way time "
    "end day week month morning night afternoon weekend moment hour all over along every around across"
)
# Places a citizen names as landmarks ("the school on Sunset Rd", "parque El Virrey", "escuela 14").
LANDMARK = _words(
    "colegio escuela iglesia parque mercado hospital clinica tienda panaderia farmacia estacion paradero "
    "cancha estadio plaza biblioteca alcaldia supermercado centro edificio conjunto puente glorieta "
    "cruce cerro parroquia capilla templo cementerio polideportivo "
    "school church park market clinic store shop bakery station stop court stadium library "
    "hall mall supermarket center centre building apartments bridge playground gym pharmacy walmart"
)
