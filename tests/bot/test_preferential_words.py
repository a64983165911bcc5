"""Issue 19: the cues of preferential attention, the words that ask for it, withdraw it and ask for simpler
replies — as people write in Colombia, Mexico, Argentina, Chile, Peru, Spain and in English — and the
everyday messages that must not look like any of them."""

from __future__ import annotations

import pytest

from bot import preferential_words as words
from bot.words import fold
from tests.support.turns import ordinary_texts

CUES = [
    # elderly
    ("tengo 82 años", "elderly"),
    ("buenas, tengo 82 anos y vivo sola", "elderly"),  # CO, no ñ
    ("soy adulto mayor y no tengo quien me lleve", "elderly"),  # CO
    ("mi abuelita tiene 91 años y ya no camina bien", "elderly"),  # MX
    ("tengo 80 y no puedo salir, ¿me podés ayudar?", "elderly"),  # AR voseo
    ("soy pensionado de 70, no alcanzo a ir a la muni", "elderly"),  # PE
    ("somos de la tercera edad, mi señora y yo", "elderly"),  # CL
    ("jubilada de 68, vivo sola en el tercero sin ascensor", "elderly"),  # ES
    ("soy una persona mayor", "elderly"),
    ("soy jubilada y vivo sola", "elderly"),  # AR
    ("es que el tiene 72 años", "elderly"),  # CO, after naming "mi esposo"
    ("she's 85 and can't get out", "elderly"),
    ("somos pensionados los dos", "elderly"),  # CO
    ("I'm 78 and live alone", "elderly"),
    ("my mother is 90 years old", "elderly"),
    ("senior citizen here, can someone help", "elderly"),
    # disability or reduced mobility
    ("mi mamá está en silla de ruedas y no puede salir", "disability"),  # MX
    ("soy invidente", "disability"),
    ("mi hijo es ciego", "disability"),  # CO
    ("soy sordo, escribame por aqui", "disability"),  # PE
    ("tengo una discapacidad", "disability"),
    ("ando con muletas desde la operación", "disability"),  # CL
    ("camino con bastón y la vereda está rota", "disability"),  # UY
    ("mi abuelo usa baston", "disability"),  # MX
    ("no puedo caminar bien desde el accidente", "disability"),  # ES
    ("mi papa ya no puede caminar y el anden esta destruido", "disability"),  # CL
    ("my dad uses a wheelchair", "disability"),
    ("I am blind", "disability"),
    ("I'm deaf, please text me", "disability"),
    # pregnancy
    ("estoy embarazada", "pregnancy"),
    ("estoy enbarazada de 7 meses", "pregnancy"),  # typo
    ("mi esposa está embarazada", "pregnancy"),
    ("I'm pregnant", "pregnancy"),
    # a small child at risk
    ("tengo mi bebé de 3 meses", "child"),  # PE
    ("tengo un niño pequeño y no puedo dejarlo solo", "child"),  # CO
    ("hay un recién nacido en la casa", "child"),  # AR
    ("my baby is 2 months old", "child"),
    # someone ill at home
    ("mi papá está postrado", "illness"),
    ("mi viejo hace diálisis tres veces por semana", "illness"),  # AR
    ("mi madre depende del oxígeno", "illness"),  # ES
    ("tengo un enfermo en casa", "illness"),  # CL
    ("my husband is bedridden", "illness"),
    # finds reading hard
    ("no sé leer", "reading"),
    ("no se leer bien", "reading"),
    ("disculpe, no leo bien", "reading"),  # MX
    ("me cuesta leer los mensajes", "reading"),  # CL
    ("soy analfabeta", "reading"),
    ("I can't read well", "reading"),
]

NOT_CUES = [
    "hay un niño jugando en la calle",
    "el bebedero del parque no sirve",
    "el poste ciego de la esquina",
    "la calle ciega detras del colegio",
    "la señora de la tienda dice que no hay luz",
    "el alcalde mayor prometió arreglarlo",
    "hace 80 días que no pasa el camión",
    "el poste tiene 70 años y se está cayendo",
    "la señora que camina con baston casi se cae en el anden",
    "la gente anda con bastón por ese andén todo roto",
    "los vecinos son jubilados y nadie los escucha",
    "mi vecino es jubilado y él fue el que llamó",
    "vos sabes que el tiene 70 y pico de reclamos",
    "she is 70 meters from the corner",
    "calle 80 con cra 70",
    "cra 70 # 12-80",
    "un árbol de 100 años se va a caer",
    "tengo 70 mil pesos de multa",
    "tengo 30 años y el poste no prende",
    "tengo 65 reportes y nadie hace nada",
    "the blind corner at Hill Road",
    "I'm 80 meters from the pothole",
    "no wheelchair ramp at 2nd Ave",
    "no hay rampas para discapacitados en la acera",
    "my dog can't walk on that broken sidewalk",
    "no puedo leer el número del poste",
    "no puedo ver nada de noche sin esa luminaria",
    "con ese ruido no puedo oir ni la tele",
    "la gente no puede caminar por el anden roto",
    "los niños no pueden andar en bici por los huecos",
    "hay un adulto mayor en la esquina pidiendo plata",
]


@pytest.mark.parametrize(("said", "kind"), CUES)
def test_a_cue_names_its_kind(said: str, kind: str) -> None:
    assert words.cue_of(fold(said)) == kind


@pytest.mark.parametrize("said", NOT_CUES)
def test_an_everyday_message_is_no_cue(said: str) -> None:
    assert words.cue_of(fold(said)) is None


# Training examples and story messages that carry a cue, and why each is right to (or harmless).
JUSTIFIED = {
    "cracked and uneven sidewalks, impossible for my wheelchair ♿": "the writer uses a wheelchair",
    "please get me my wheelchair": "the writer uses a wheelchair",
    "my baby isn't breathing": "an emergency: answered as one, the offer waits",
    "no respira mi bebe AYUDA": "an emergency: answered as one, the offer waits",
    # Out-of-scope training examples of a lasting condition: the classifier learns they are no emergency.
    "mi abuela anda en silla de ruedas desde hace años": "a cue the classifier must not call an emergency",
    "mi papá es ciego y vive conmigo": "a cue the classifier must not call an emergency",
    "soy no vidente, mi nieta me lee los mensajes": "a cue the classifier must not call an emergency",
    "mi hermano es sordo y casi no sale": "a cue the classifier must not call an emergency",
    "mi esposa usa andador y ya no sale sola de la casa": "a cue the classifier must not call an emergency",
    "tengo movilidad reducida": "a cue the classifier must not call an emergency",
}


def test_no_other_story_or_training_example_carries_a_cue() -> None:
    found = {
        said: kind
        for said in ordinary_texts(skip_stories=("preferential", "plain_language"))
        if (kind := words.cue_of(fold(said))) is not None
    }
    assert set(found) == set(JUSTIFIED)


def test_no_other_story_or_training_example_asks_withdraws_or_wants_it_simpler() -> None:
    found = [
        said
        for said in ordinary_texts(skip_stories=("preferential", "plain_language"))
        if words.asks(fold(said)) or words.withdraws(fold(said)) or words.asks_plain(fold(said))
    ]
    assert found == []


@pytest.mark.parametrize(
    "said",
    [
        "necesito atención preferencial",
        "quiero que me atiendan primero",
        "¿me pueden dar trato preferencial?",
        "I need priority service",
        "can I be served first",
    ],
)
def test_asking_for_it(said: str) -> None:
    assert words.asks(fold(said)) and not words.withdraws(fold(said))


@pytest.mark.parametrize(
    "said",
    [
        "ya no quiero atención preferencial",
        "quitar atención preferencial",
        "quítenme la prioridad",
        "remove my priority",
        "I don't need priority service any more",
    ],
)
def test_withdrawing_it(said: str) -> None:
    assert words.withdraws(fold(said)) and not words.asks(fold(said))


@pytest.mark.parametrize(
    "said", ["más simple", "no entiendo, más fácil", "hábleme más sencillo", "simpler please", "plain words"]
)
def test_asking_for_simpler_replies(said: str) -> None:
    assert words.asks_plain(fold(said))


def test_a_long_report_saying_it_would_be_easier_is_not_a_request_for_plain_replies() -> None:
    said = "sería más fácil si arreglaran el hueco de la calle 45 antes de que llueva otra vez"
    assert not words.asks_plain(fold(said))


@pytest.mark.parametrize(
    "said",
    [
        "modo normal",
        "Normal",
        "back to normal",
        "modo normal nomás, si leo bien",
        "escríbeme normal porfa",
        "ya, como antes",
        "normal mode please",
        "you can talk normally",
    ],
)
def test_going_back_to_the_usual_replies(said: str) -> None:
    assert words.asks_normal(fold(said))


@pytest.mark.parametrize(
    "said",
    [
        "el bache sigue como antes",
        "la calle quedó normal después del arreglo",
        "the street is back to normal now",
        "normal text messages dont work for me",
        "es normal que la luz se vaya todos los días en mi barrio y nadie haga nada?",
    ],
)
def test_a_message_about_the_street_is_not_a_request_for_the_usual_replies(said: str) -> None:
    assert not words.asks_normal(fold(said))


def test_no_other_story_or_training_example_asks_for_the_usual_replies() -> None:
    texts = ordinary_texts(skip_stories=("plain_language",))
    assert [said for said in texts if words.asks_normal(fold(said))] == []
