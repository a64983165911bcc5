"""Spoken answers (issue 19): how long espeak-ng and the OGG/Opus encoding take for a typical reply and
for the longest one spoken, wall and CPU seconds (espeak-ng runs as a child process), and the note's size
and length. `python bench/speech.py [--runs N]`."""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.voice_speech import MAX_CHARACTERS, shortened, speak  # noqa: E402

REPLIES = {
    "typical (es)": "Entendí: bache en la vía, en la calle diez con carrera quince. ¿Tienes una foto? "
    "Envíala ahora, o elige Omitir. Omitir.",
    "longest (es)": shortened(
        "Registramos tu caso K7M-4QP (bache en la vía). Te avisaremos cuando cambie. Si quieres saber cómo "
        "va, escribe «cómo va mi caso». Gracias por avisarnos: así la ciudad llega antes a donde hace falta. "
        "Si necesitas algo más, escríbeme. Si prefieres hablar con una persona, dilo y te paso."
    ),
    "typical (en)": "Got it: a pothole on tenth street. Do you have a photo? Send it now, or choose Skip. "
    "Skip.",
}


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    speak("hola", "es")  # warm-up: PyAV's libraries loaded once per process
    columns = ("chars", 5), ("audio s", 7), ("kB", 5), ("wall s (median)", 15), ("CPU s (median)", 14)
    print(f"{'reply':<14}", *(f"{title:>{width}}" for title, width in columns))
    for name, words in REPLIES.items():
        assert len(words) <= MAX_CHARACTERS
        walls, cpus, note = [], [], b""
        for _ in range(runs):
            started, used = time.perf_counter(), cpu()
            note = speak(words, "en" if "(en)" in name else "es")
            walls.append(time.perf_counter() - started)
            cpus.append(cpu() - used)
        with av.open(io.BytesIO(note), mode="r") as container:
            seconds = (container.duration or 0) / av.time_base
        wall, spent = statistics.median(walls), statistics.median(cpus)
        figures = f"{len(words):>5} {seconds:>7.1f} {len(note) / 1000:>5.0f} {wall:>15.2f} {spent:>14.2f}"
        print(f"{name:<14} {figures}")


if __name__ == "__main__":
    main()
