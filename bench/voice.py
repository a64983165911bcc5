"""Voice notes on one CPU thread: model load time, seconds of audio heard per CPU second and per wall
second for synthesized Spanish and English notes of ~3, 10, 30 and 60 s, peak memory; with `--accuracy`,
word error rate and keyword hits on 20 synthesized notes, with and without hot words."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings_loading import load_settings  # noqa: E402
from bot.voice import Whisper  # noqa: E402
from bot.voice_model import assemble  # noqa: E402
from tests.support.voice_clips import ogg_opus, spoken  # noqa: E402

SENTENCES = {
    "es": [
        "hay un bache muy grande en la calle diez con carrera quince",
        "la luminaria del parque esta apagada desde el martes",
        "no pasaron a recoger la basura en mi cuadra",
        "che hay un pozo enorme en la avenida Rivadavia frente a la farmacia",
        "se rompio un tubo y hay una fuga de agua en la esquina",
        "botaron escombros en el anden de la carrera septima",
        "el semaforo de la avenida principal no funciona",
        "hay un arbol caido que tapa toda la calle",
        "la alcantarilla esta tapada y huele muy mal",
        "hay un carro abandonado hace un mes frente a mi casa",
    ],
    "en": [
        "there is a big pothole on main street next to the school",
        "the streetlight on oak avenue has been out for a week",
        "nobody picked up the garbage on my block this week",
        "someone dumped old furniture in the alley behind the store",
        "there is a water leak at the corner of pine street",
        "the traffic signal on the main avenue is not working",
        "a fallen tree is blocking the whole street",
        "the sewer drain is clogged and smells very bad",
        "an abandoned car has been parked in front of my house for a month",
        "the sidewalk is broken and an old man tripped",
    ],
}
# The words a report turns on: each hit when the transcript has it.
KEYWORDS = {
    "es": [
        "bache",
        "luminaria",
        "basura",
        "pozo",
        "fuga",
        "escombros",
        "semaforo",
        "arbol",
        "alcantarilla",
        "carro",
    ],
    "en": [
        "pothole",
        "streetlight",
        "garbage",
        "dumped",
        "leak",
        "signal",
        "tree",
        "sewer",
        "car",
        "sidewalk",
    ],
}
LENGTHS = (3, 10, 30, 60)


def fold(value: str) -> list[str]:
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c)
    )
    return "".join(c if c.isalnum() else " " for c in plain).split()


def word_errors(reference: list[str], heard: list[str]) -> int:
    """Levenshtein distance over words: substitutions, insertions and deletions."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def note_of_about(seconds: int, language: str) -> tuple[bytes, float]:
    """A note of about `seconds`: sentences spoken one after the other until long enough."""
    import numpy as np

    parts = []
    total = 0.0
    for sentence in SENTENCES[language] * 10:
        samples = spoken(sentence, language)
        parts.append(samples)
        total += len(samples) / 16_000
        if total >= seconds:
            break
    joined = np.concatenate(parts)[: 16_000 * seconds]
    return ogg_opus(joined), len(joined) / 16_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(whisper: Whisper) -> None:
    started = time.perf_counter()
    assemble(Path(whisper.settings.nlu.model_dir))
    assembled = time.perf_counter()
    whisper.model()  # checks the hashes again, then loads
    print(f"first start: model folder assembled in {assembled - started:.2f} s")
    print(f"model load (hashes checked, weights loaded): {time.perf_counter() - assembled:.2f} s")
    print(f"{'note':<10}{'audio s':>9}{'wall s':>9}{'cpu s':>9}{'audio/cpu':>11}{'audio/wall':>12}  outcome")
    for language in ("es", "en"):
        for length in LENGTHS:
            audio, seconds = note_of_about(length, language)
            wall, cpu = time.perf_counter(), time.process_time()
            heard = whisper.hear(audio)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            name = f"{language} {length}s"
            rates = f"{seconds / cpu:>11.2f}{seconds / wall:>12.2f}"
            print(
                f"{name:<10}{seconds:>9.1f}{wall:>9.2f}{cpu:>9.2f}{rates}  {heard.outcome} {heard.confidence}"
            )
    print(f"peak RSS: {peak_mb():.0f} MB")


def accuracy(whisper: Whisper, show: bool) -> None:
    notes = {lang: [ogg_opus(spoken(s, lang)) for s in SENTENCES[lang]] for lang in SENTENCES}
    print(f"{'':<14}{'WER':>7}{'keywords':>10}{'language':>10}{'confidence':>12}{'acted on':>10}")
    for hot in (False, True):
        whisper.hot_words = hot
        for language, sentences in SENTENCES.items():
            errors = words = hits = right_language = acted = 0
            sure = 0.0
            for sentence, keyword, audio in zip(sentences, KEYWORDS[language], notes[language], strict=True):
                heard = whisper.hear(audio)
                reference, got = fold(sentence), fold(heard.text)
                errors, words = errors + word_errors(reference, got), words + len(reference)
                hits += keyword in got
                right_language += heard.language == language
                sure += heard.confidence
                acted += heard.outcome == "heard"
                if show:
                    print(f"  {heard.outcome:<8}{heard.confidence:.2f} {heard.text}")
            name = f"{language} {'hot' if hot else 'plain'}"
            n = len(sentences)
            figures = f"{errors / words:>7.1%}{hits:>7}/{n:<2}{right_language:>7}/{n:<2}{sure / n:>12.2f}"
            print(f"{name:<14}{figures}{acted:>7}/{n:<2}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accuracy", action="store_true", help="word error rate and keyword hits instead")
    parser.add_argument("--show", action="store_true", help="with --accuracy: each transcript")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, {}, **{"nlu.model_dir": folder, "voice.max_seconds": "120"})
        whisper = Whisper(settings, threads=1)
        if args.accuracy:
            accuracy(whisper, args.show)
        else:
            speed(whisper)


if __name__ == "__main__":
    main()
