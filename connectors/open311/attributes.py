"""What Open311 publishes about each service beyond config.yml: description, keywords, extra questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# GeoReport v2 datatypes; `datetime` answers are ISO 8601, lists answer with value keys.
Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
LIST_TYPES = frozenset({"singlevaluelist", "multivaluelist"})


@dataclass(frozen=True)
class Words:
    """A text in Spanish and English."""

    es: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.es


@dataclass(frozen=True)
class Value:
    key: str
    name: Words


@dataclass(frozen=True)
class Attribute:
    """One extra question of a service definition."""

    code: str
    datatype: Datatype
    description: Words
    required: bool = False
    values: tuple[Value, ...] = ()
    datatype_description: Words | None = None


@dataclass(frozen=True)
class ServiceInfo:
    description: Words
    keywords: Words
    attributes: tuple[Attribute, ...] = field(default=())


def _values(*pairs: tuple[str, str, str]) -> tuple[Value, ...]:
    return tuple(Value(key, Words(es, en)) for key, es, en in pairs)


YES_NO = _values(("yes", "Sí", "Yes"), ("no", "No", "No"))
YES_NO_UNKNOWN = (*YES_NO, *_values(("unknown", "No sé", "Don't know")))

# A service of the catalog that is missing here is still published, with its name as description and
# no extra questions: a city that adds a service to config.yml need not touch this table.
SERVICES: dict[str, ServiceInfo] = {
    "pothole": ServiceInfo(
        Words("Huecos y baches en calles y vías.", "Holes and potholes in streets and roads."),
        Words("bache, hueco, vía, calle", "pothole, hole, road, street"),
        (
            Attribute(
                "size",
                "singlevaluelist",
                Words("¿De qué tamaño es el hueco?", "How big is the hole?"),
                required=True,
                values=_values(
                    ("small", "Pequeño (menos de 30 cm)", "Small (under 30 cm)"),
                    ("medium", "Mediano (30 cm a 1 m)", "Medium (30 cm to 1 m)"),
                    ("large", "Grande (más de 1 m)", "Large (over 1 m)"),
                ),
            ),
            Attribute(
                "in_lane",
                "singlevaluelist",
                Words("¿Está en el carril por donde pasan los carros?", "Is it in a traffic lane?"),
                values=YES_NO_UNKNOWN,
            ),
        ),
    ),
    "streetlight": ServiceInfo(
        Words("Postes de alumbrado apagados, intermitentes o dañados.", "Street lights out or damaged."),
        Words("poste, luz, lámpara, alumbrado", "streetlight, light, lamp, pole"),
        (
            Attribute(
                "light_state",
                "singlevaluelist",
                Words("¿Qué le pasa a la luz?", "What is wrong with the light?"),
                required=True,
                values=_values(
                    ("off", "Apagada de noche", "Off at night"),
                    ("flickering", "Parpadea", "Flickering"),
                    ("on_by_day", "Prendida de día", "On during the day"),
                    ("damaged", "Poste o lámpara dañados", "Pole or lamp damaged"),
                ),
            ),
            Attribute(
                "pole_number",
                "string",
                Words("Número del poste (en la placa del poste)", "Pole number (on the pole's plate)"),
                datatype_description=Words(
                    "Letras y números, p. ej. AP-10432", "Letters and digits, e.g. AP-10432"
                ),
            ),
        ),
    ),
    "garbage": ServiceInfo(
        Words("El camión de la basura no pasó.", "The garbage truck did not come."),
        Words("basura, recolección, residuos", "garbage, trash, collection, waste"),
        (
            Attribute(
                "days_uncollected",
                "number",
                Words("¿Cuántos días lleva sin recogerse?", "How many days has it gone uncollected?"),
            ),
        ),
    ),
    "illegal_dumping": ServiceInfo(
        Words(
            "Escombros, muebles o basura botados en el espacio público.", "Rubble or waste dumped in public."
        ),
        Words("escombros, basura, muebles", "dumping, rubble, furniture, waste"),
        (
            Attribute(
                "waste_kind",
                "multivaluelist",
                Words("¿Qué botaron?", "What was dumped?"),
                required=True,
                values=_values(
                    ("rubble", "Escombros", "Rubble"),
                    ("furniture", "Muebles o colchones", "Furniture or mattresses"),
                    ("household", "Basura doméstica", "Household waste"),
                    ("tyres", "Llantas", "Tyres"),
                    ("other", "Otra cosa", "Something else"),
                ),
            ),
        ),
    ),
    "water": ServiceInfo(
        Words(
            "Fugas de agua en la calle o falta del servicio.", "Water leaks in the street or no water supply."
        ),
        Words("agua, fuga, tubo, acueducto", "water, leak, pipe, outage"),
        (
            Attribute(
                "water_running",
                "singlevaluelist",
                Words("¿Está saliendo agua a la calle?", "Is water running in the street?"),
                required=True,
                values=YES_NO,
            ),
            Attribute(
                "no_supply",
                "singlevaluelist",
                Words("¿Se quedaron sin agua en las casas?", "Are homes without water?"),
                values=YES_NO_UNKNOWN,
            ),
        ),
    ),
    "sewer": ServiceInfo(
        Words("Alcantarillas tapadas, sin tapa o desbordadas.", "Blocked, uncovered or overflowing drains."),
        Words("alcantarilla, desagüe, tapa, inundación", "sewer, drain, manhole, flooding"),
        (
            Attribute(
                "problem",
                "singlevaluelist",
                Words("¿Qué pasa con la alcantarilla?", "What is wrong with the drain?"),
                required=True,
                values=_values(
                    ("blocked", "Tapada", "Blocked"),
                    ("overflowing", "Se está desbordando", "Overflowing"),
                    ("no_cover", "No tiene tapa", "Cover missing"),
                ),
            ),
        ),
    ),
    "noise": ServiceInfo(
        Words("Ruido excesivo de fiestas, obras, negocios o vehículos.", "Excessive noise."),
        Words("ruido, música, fiesta, obra", "noise, music, party, construction"),
        (
            Attribute(
                "source",
                "singlevaluelist",
                Words("¿De dónde viene el ruido?", "Where does the noise come from?"),
                required=True,
                values=_values(
                    ("party", "Fiesta o música", "Party or music"),
                    ("construction", "Obra", "Construction"),
                    ("business", "Negocio o bar", "Business or bar"),
                    ("vehicle", "Vehículos", "Vehicles"),
                    ("other", "Otro", "Other"),
                ),
            ),
            Attribute(
                "happening_now",
                "singlevaluelist",
                Words("¿Está pasando ahora?", "Is it happening now?"),
                values=YES_NO,
            ),
        ),
    ),
    "tree": ServiceInfo(
        Words("Árboles caídos, a punto de caer o que tapan el paso.", "Fallen or dangerous trees."),
        Words("árbol, rama, caído", "tree, branch, fallen"),
        (
            Attribute(
                "blocking",
                "multivaluelist",
                Words("¿Qué está bloqueando?", "What is it blocking?"),
                values=_values(
                    ("road", "La vía", "The road"),
                    ("sidewalk", "El andén", "The sidewalk"),
                    ("power_lines", "Cables eléctricos", "Power lines"),
                    ("nothing", "Nada", "Nothing"),
                ),
            ),
        ),
    ),
    "traffic_signal": ServiceInfo(
        Words("Semáforos apagados o señales de tránsito dañadas.", "Traffic lights out or signs damaged."),
        Words("semáforo, señal, pare, tránsito", "traffic light, signal, sign, stop"),
        (
            Attribute(
                "signal_state",
                "singlevaluelist",
                Words("¿Qué le pasa?", "What is wrong with it?"),
                required=True,
                values=_values(
                    ("off", "Apagado", "Off"),
                    ("flashing", "Intermitente", "Flashing"),
                    ("damaged", "Dañado o torcido", "Damaged or bent"),
                    ("missing", "No está", "Missing"),
                ),
            ),
        ),
    ),
    "abandoned_vehicle": ServiceInfo(
        Words("Vehículos abandonados en la vía pública.", "Vehicles abandoned on public roads."),
        Words("carro, vehículo, abandonado, chatarra", "car, vehicle, abandoned, wreck"),
        (
            Attribute(
                "days_parked",
                "number",
                Words("¿Hace cuántos días está ahí?", "How many days has it been there?"),
            ),
            Attribute(
                "first_seen",
                "datetime",
                Words("¿Desde cuándo lo ven ahí?", "Since when has it been there?"),
                datatype_description=Words(
                    "Fecha ISO 8601, p. ej. 2026-01-31", "ISO 8601 date, e.g. 2026-01-31"
                ),
            ),
        ),
    ),
    "stray_animal": ServiceInfo(
        Words("Animales callejeros heridos, agresivos o muertos.", "Stray, injured or dead animals."),
        Words("perro, gato, animal, callejero", "dog, cat, animal, stray"),
        (
            Attribute(
                "animal",
                "singlevaluelist",
                Words("¿Qué animal es?", "What animal is it?"),
                required=True,
                values=_values(("dog", "Perro", "Dog"), ("cat", "Gato", "Cat"), ("other", "Otro", "Other")),
            ),
            Attribute(
                "alive", "singlevaluelist", Words("¿Está vivo?", "Is it alive?"), values=YES_NO_UNKNOWN
            ),
        ),
    ),
    "sidewalk": ServiceInfo(
        Words("Andenes rotos, hundidos u obstruidos.", "Broken, sunken or blocked sidewalks."),
        Words("andén, acera, anden, vereda", "sidewalk, pavement, footpath"),
        (
            Attribute(
                "blocks_passage",
                "singlevaluelist",
                Words(
                    "¿Impide pasar a pie o en silla de ruedas?",
                    "Does it block people on foot or in wheelchairs?",
                ),
                values=YES_NO,
            ),
        ),
    ),
}


def service_info(code: str, name: Words) -> ServiceInfo:
    """The table's entry, or a plain one for a service the city added only to config.yml."""
    return SERVICES.get(code) or ServiceInfo(description=name, keywords=Words("", ""))
