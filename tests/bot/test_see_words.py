"""Which messages ask to see one's data ("mis datos"), and which only look like it: mobile data, a bill,
the city's data, a report about privacy. A request has legal effect and wins over a report's question,
so a false match costs a citizen their conversation; a miss only goes to the classifier."""

from __future__ import annotations

import pytest

from bot.data_rights_words import request_in
from bot.words import fold

ASKS_TO_SEE = [
    "mis datos",
    "MIS DATOS",
    "Mis datos por favor",
    "mis datos porfa",
    "q datos tienen de mi?",
    "qué datos tienen de mí",
    "que tienen de mi",
    "Qué saben de mí?",
    "que informacion personal tienen sobre mi",
    "qué datos míos tienen",
    "cuales son mis datos",
    "mostrame mis datos",
    "muéstrame mis datos",
    "quiero ver mis datos",
    "ver mis datos",
    "consultar mis datos personales",
    "tienen mis datos?",
    "que datos personales guardan",
    "my data",
    "My data please",
    "what do you have on me",
    "What do you know about me?",
    "what data do you have about me",
    "what personal data do you hold",
    "do you have my data",
    "show me my data",
    "what's my info",
    "política de privacidad",
    "privacidad",
    "privacy policy",
    "habeas data",
    "¿Qué datos míos tenéis?",
    "qué sabéis de mí",
    "misdatos",
    "wat data do u have on me",
    "quisiera saber que informacion tienen de mi",
]

NOT_A_REQUEST = [
    "hay datos de la alcaldía?",
    "tienen datos de los baches del barrio?",
    "que datos necesitan para el reporte",
    "se me acabaron los datos, les escribo por sms",
    "mis datos móviles no cargan la foto",
    "quiero revisar mi cuenta del agua, llegó carísima",
    "qué hay de mi reporte?",
    "que saben de mi caso K7M-4QP",
    "la cámara del vecino apunta a mi ventana, viola mi privacidad",
    "what data do you need from me",
    "my data plan ran out",
    "el bache me dañó el carro",
    "borra el reporte",
    "hola",
]


@pytest.mark.parametrize("message", ASKS_TO_SEE)
def test_a_request_to_see_ones_data(message: str) -> None:
    assert request_in(fold(message)) == "see"


@pytest.mark.parametrize("message", NOT_A_REQUEST)
def test_not_a_request(message: str) -> None:
    assert request_in(fold(message)) is None
