"""`ventanilla open311 add-key|list-keys|revoke-key`, run as bot/cli.py runs them, against a real database."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from bot.settings_base import SettingsError
from storage import api_keys as key_rows
from storage.engine import create_engine, session_factory
from tests.connectors.open311.conftest import open311_command
from tests.support.scripted import ScriptedClassifier


async def post_with(settings: Settings, key: str) -> int:
    """The key's answer from the running app: 200 when it files, 403 when it is refused."""
    async with TestClient[web.Request, web.Application](
        TestServer(create_app(settings, classifier=ScriptedClassifier()))
    ) as client:
        response = await client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "noise",
                "attribute[source]": "party",
                "address_string": "Cll 8",
            },
        )
        return response.status


async def stored(settings: Settings) -> list[Any]:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session:
            return list(await key_rows.api_keys(session))
    finally:
        await engine.dispose()


def test_add_list_use_and_revoke_a_key(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert open311_command(settings, "add-key", "fixmystreet") == 0
    out = capsys.readouterr().out
    key = out.split()[-1]  # printed once, as the last word
    assert key.startswith("v311_") and len(key) > 40 and "fixmystreet" in out
    [row] = asyncio.run(stored(settings))
    assert row.key_hash != key and len(row.key_hash) == 64 and key not in repr(vars(row))
    assert asyncio.run(post_with(settings, key)) == 200

    assert open311_command(settings, "add-key", "fixmystreet") == 1
    assert "already has an active key" in capsys.readouterr().err
    assert open311_command(settings, "list-keys") == 0
    listing = capsys.readouterr().out
    assert "fixmystreet" in listing and "active" in listing and key not in listing
    assert "file" in listing and row.scope == "file"  # files and reads what the public reads

    assert open311_command(settings, "revoke-key", "fixmystreet") == 0
    assert "revoked 1 key" in capsys.readouterr().out
    assert asyncio.run(post_with(settings, key)) == 403
    assert open311_command(settings, "revoke-key", "fixmystreet") == 1
    assert open311_command(settings, "list-keys") == 0
    assert "revoked 20" in capsys.readouterr().out
    # A new key under the same name works again; the old one stays refused.
    assert open311_command(settings, "add-key", "fixmystreet") == 0
    assert asyncio.run(post_with(settings, capsys.readouterr().out.split()[-1])) == 200


def test_a_key_for_the_citys_own_systems_has_the_private_scope(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert open311_command(settings, "add-key", "backoffice", "--scope", "private") == 0
    assert "scope private" in capsys.readouterr().out
    [row] = asyncio.run(stored(settings))
    assert row.scope == "private"
    assert open311_command(settings, "list-keys") == 0
    assert "private" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        open311_command(settings, "add-key", "x", "--scope", "everything")


@pytest.mark.parametrize("name", ["", " ", "_x", "x" * 121, "a\nb", "<script>"])
def test_bad_names_are_refused(settings: Settings, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert open311_command(settings, "add-key", name) == 1
    assert "the name must be" in capsys.readouterr().err


def test_an_unmigrated_database_is_a_settings_error(settings: Settings, tmp_path: Any) -> None:
    bare = settings.model_copy(
        update={
            "database": settings.database.model_copy(update={"url": f"sqlite+aiosqlite:///{tmp_path}/new.db"})
        }
    )
    with pytest.raises(SettingsError, match="ventanilla db upgrade"):
        open311_command(bare, "list-keys")
