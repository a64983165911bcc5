"""Two machines, one database, one bucket: a photo sent to one `serve` process is shown by the other
(issue 13). Each process has a folder of its own and never sees the other's; only the database and the
bucket on the local S3-compatible server are shared, as docs/operations.md sets N machines up."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from bot.settings import Settings
from bot.settings_loading import DEFAULT_CONFIG
from tests.connectors.test_rest import photo_form, png
from tests.support.s3 import LocalS3
from tests.support.serving import env_with_config, serving

SENDER = "web-3e9a7c1d5b2f80a4c6e1"


def machine(
    tmp_path: Path, name: str, shared_nlu: Path, database_url: str, bucket: dict[str, str]
) -> dict[str, str]:
    """A configuration folder of its own (so a var/media of its own), sharing the trained model to
    start faster, with the database and the bucket in the environment."""
    folder = tmp_path / name
    folder.mkdir()
    config = DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        "model_dir: var/nlu", f"model_dir: {shared_nlu}"
    )
    (folder / "config.yml").write_text(config, encoding="utf-8")
    return env_with_config(folder / "config.yml") | {"VENTANILLA_DATABASE_URL": database_url} | bucket


@pytest.mark.timeout(300)
async def test_a_photo_sent_to_one_machine_is_shown_by_another(
    settings: Settings, local_s3: LocalS3, tmp_path: Path
) -> None:
    bucket = local_s3.environment(local_s3.new_bucket())
    nlu = tmp_path / "nlu"
    first = machine(tmp_path, "first", nlu, settings.database.url, bucket)
    second = machine(tmp_path, "second", nlu, settings.database.url, bucket)
    picture = png((64, 48), mode="RGB")
    with serving(first) as one, serving(second) as other:
        async with aiohttp.ClientSession() as http:
            token = (await (await http.post(f"{one}/webchat/token")).json())["token"]
            auth = {"Authorization": f"Bearer {token}"}
            uploaded = await http.post(
                f"{one}/webchat/upload?sender={SENDER}", data=photo_form(picture), headers=auth
            )
            assert uploaded.status == 201, await uploaded.text()
            photo = await uploaded.json()
            shown = await http.get(f"{other}{photo['url']}")
            assert shown.status == 200 and shown.headers["Content-Type"] == "image/jpeg"
            assert Image.open(io.BytesIO(await shown.read())).size == (64, 48)
            # The same chat writes on the other machine, with the photo the first one kept.
            body = {"sender": SENDER, "message": "", "metadata": {"attachments": [photo]}}
            sent = await http.post(
                f"{other}/webhooks/rest/webhook",
                data=json.dumps(body),
                headers=auth | {"Content-Type": "application/json"},
            )
            assert sent.status == 200, await sent.text()
            assert "¿Qué quieres reportar?" in (await sent.json())[-1]["text"]
    for name in ("first", "second"):  # nothing went to either machine's own folder
        folder = tmp_path / name / "var" / "media"
        assert not folder.exists() or not any(folder.iterdir())
    shutil.rmtree(nlu, ignore_errors=True)
