"""`ventanilla opendata export` and `ventanilla serve` as real processes, run from another directory: the
export writes next to config.yml (a relative `opendata.dir`), and serve's /datos/ serves what it wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

from bot.settings_loading import DEFAULT_CONFIG
from tests.support.serving import VENTANILLA, env_with_config, serving


def test_the_export_writes_where_serve_serves_whatever_the_working_directory(tmp_path: Path) -> None:
    city, elsewhere = tmp_path / "ciudad", tmp_path / "otro"
    city.mkdir()
    elsewhere.mkdir()
    shutil.copy(DEFAULT_CONFIG, city / "config.yml")
    env = env_with_config(city / "config.yml")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*VENTANILLA, *args], capture_output=True, text=True, env=env, cwd=elsewhere, timeout=120
        )

    assert run("opendata", "export").returncode == 2  # not migrated: says so
    assert run("db", "upgrade").returncode == 0
    done = run("opendata", "export", "--now", "2026-12-06T10:00:00-05:00")
    assert done.returncode == 0, done.stderr
    assert f"0 cases written to {city / 'var' / 'datos' / '2026-12-06'}" in done.stdout
    assert not (elsewhere / "var").exists()
    with (
        serving(env) as base,
        urllib.request.urlopen(f"{base}/datos/latest/metadata.json", timeout=10) as answer,
    ):
        meta = json.loads(answer.read())
    assert (meta["day"], meta["generated_at"]) == ("2026-12-06", "2026-12-06T15:00:00+00:00")
