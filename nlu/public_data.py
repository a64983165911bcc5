"""Load the public out-of-scope corpora and copy fixed samples of them into the repository."""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

from nlu.training_data import dump_rasa_yaml

OUT_OF_SCOPE = "out_of_scope"
SEED = 20240521  # fixed so that re-running the export reproduces the committed files byte for byte

CLINC_CITATION = (
    "Larson, Mahendran, Peper, Clarke, Lee, Hill, Kummerfeld, Leach, Laurenzano, Tang, Mars (2019).\n"
    "An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction. EMNLP-IJCNLP 2019."
)
CLINC_SOURCE = "github.com/clinc/oos-eval, data/data_full.json, commit 828f809. Licence: CC BY 3.0."
FB_CITATION = (
    "Schuster, Gupta, Shah, Lewis (2019). Cross-lingual Transfer Learning for Multilingual\n"
    "Task Oriented Dialog. NAACL 2019."
)
FB_SOURCE = (
    "Multilingual Task-Oriented Dialog data (Spanish), via github.com/zliucr/crosslingual-slu data/es/,\n"
    "commit 517071a. Licence: CC BY-SA (Facebook AI Research)."
)

# CLINC150 domains with nothing a city complaint line handles. Left out on purpose: small_talk and
# meta (greetings, thanks, yes/no are our own intents) and auto_and_commute (traffic, directions).
UNRELATED_DOMAINS = ("banking", "credit_cards", "kitchen_and_dining", "home", "travel", "work", "utility")
# Utility intents a citizen could plausibly send us (sharing where they are, calling someone).
RELATED_INTENTS = frozenset({"share_location", "make_call", "find_phone"})


def load_clinc150(path: Path, split: str) -> list[tuple[str, str]]:
    """`(utterance, clinc_intent)` pairs of one split of CLINC150's `data_full.json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(text), str(intent)) for text, intent in data[split]]


def load_clinc150_domains(path: Path) -> dict[str, list[str]]:
    """CLINC150's `domains.json`: domain → its intents."""
    domains: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return domains


def load_fb_multilingual(path: Path) -> list[tuple[str, str]]:
    """`(utterance, intent)` pairs from a TSV of the multilingual task-oriented dialog set (column 3)."""
    pairs: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 3 and row[2].strip():
                pairs.append((" ".join(row[2].split()), row[0]))
    return pairs


def _unique(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for text in texts:
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def clinc_training_texts(source: Path, in_scope_sample: int) -> list[str]:
    """CLINC150 `oos_train` + `oos_val` and a sample of `train` utterances from unrelated domains."""
    path = source / "clinc150" / "data_full.json"
    oos = [text for split in ("oos_train", "oos_val") for text, _ in load_clinc150(path, split)]
    domains = load_clinc150_domains(source / "clinc150" / "domains.json")
    unrelated = {i for d in UNRELATED_DOMAINS for i in domains[d] if i not in RELATED_INTENTS}
    pool = [text for text, intent in load_clinc150(path, "train") if intent in unrelated]
    return _unique(oos + random.Random(SEED).sample(pool, in_scope_sample))


def fb_sample(path: Path, size: int, exclude: Path | None = None) -> list[str]:
    """A fixed sample of distinct utterances; those also found in `exclude` are left out (no leakage)."""
    excluded = {text.casefold() for text, _ in load_fb_multilingual(exclude)} if exclude else set()
    texts = [t for t in _unique([t for t, _ in load_fb_multilingual(path)]) if t.casefold() not in excluded]
    return random.Random(SEED).sample(texts, min(size, len(texts)))


def export(source: Path, repo_nlu: Path, *, clinc_in_scope: int, es_train: int, es_test: int) -> None:
    """Write the training and evaluation samples under `nlu/data/public/` and `nlu/eval/public/`."""
    clinc_header = f"Source: {CLINC_SOURCE}\nCite: {CLINC_CITATION}\n"
    fb_header = f"Source: {FB_SOURCE}\nCite: {FB_CITATION}\n"
    written = {
        "data/public/oos_en.yml": (
            clinc_training_texts(source, clinc_in_scope),
            "CLINC150 oos_train + oos_val, and a sample of in-scope `train` utterances from domains\n"
            f"({', '.join(UNRELATED_DOMAINS)}) a city does not handle: all out of scope here.\n"
            + clinc_header,
        ),
        "data/public/oos_es.yml": (
            fb_sample(source / "fb_multilingual_es" / "train-es.tsv", es_train),
            "A sample of train-es.tsv (alarms, reminders, weather): out of scope for a city.\n" + fb_header,
        ),
        "eval/public/clinc150_oos_test.yml": (
            [t for t, _ in load_clinc150(source / "clinc150" / "data_full.json", "oos_test")],
            "CLINC150 oos_test, all of it. Evaluation only: never train on this file.\n" + clinc_header,
        ),
        "eval/public/fb_es_oos_test.yml": (
            fb_sample(
                source / "fb_multilingual_es" / "test-es.tsv",
                es_test,
                exclude=source / "fb_multilingual_es" / "train-es.tsv",
            ),
            "A sample of test-es.tsv (alarms, reminders, weather), out of scope for a city.\n"
            "Evaluation only: never train on this file.\n" + fb_header,
        ),
    }
    for relative, (texts, header) in written.items():
        target = repo_nlu / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        header += "Regenerate: python -m nlu.public_data --source <shared>/data\n"
        target.write_text(dump_rasa_yaml(((t, OUT_OF_SCOPE) for t in texts), header), encoding="utf-8")
        print(f"{target}: {len(texts)} examples")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, required=True, help="the shared data/ folder")
    parser.add_argument("--clinc-in-scope", type=int, default=400)
    parser.add_argument("--es-train", type=int, default=500)
    parser.add_argument("--es-test", type=int, default=1000)
    args = parser.parse_args(argv)
    export(
        args.source,
        Path(__file__).parent,
        clinc_in_scope=args.clinc_in_scope,
        es_train=args.es_train,
        es_test=args.es_test,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
