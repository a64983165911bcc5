"""/privacidad: the city's policy from its Markdown files, in the visitor's language, read again when the
city edits it, never a script, and a page (not a 500) while it is not published."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from bot.settings_loading import REPO_ROOT, load_settings
from tests.connectors.conftest import Client
from tests.support.scripted import ScriptedClassifier

MakeService = Callable[..., Awaitable[Client]]


@pytest.fixture
def policies(tmp_path: Path) -> dict[str, Path]:
    """Copies of the example policies the test may edit or remove."""
    folder = tmp_path / "policy"
    folder.mkdir()
    found = {}
    for language, name in (("es", "privacidad.md"), ("en", "privacy.md")):
        shutil.copyfile(REPO_ROOT / "docs" / "policy" / name, folder / name)
        found[language] = folder / name
    return found


@pytest.fixture
def make_service(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    policies: dict[str, Path],
) -> MakeService:
    async def make(**changes: str) -> Client:
        policy = settings.privacy.policy.model_copy(
            update={language: str(path) for language, path in policies.items()}
        )
        privacy = settings.privacy.model_copy(update={"policy": policy})
        changed = settings.model_copy(update={"privacy": privacy})
        if changes:
            changed = changed.model_copy(
                update={"city": changed.city.model_copy(update=changes)},
            )
        return await aiohttp_client(create_app(changed, classifier=scripted))

    return make


async def test_the_policy_in_spanish_with_a_link_to_english_and_back(make_service: MakeService) -> None:
    service = await make_service()
    page = await service.get("/privacidad")
    assert page.status == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    html = await page.text()
    assert '<html lang="es">' in html and "<h1>Política de privacidad</h1>" in html
    assert "<h2>Cómo ejercer tus derechos desde el chat</h2>" in html and "EJEMPLO" in html
    assert 'href="?lang=en"' in html and ">English<" in html
    english = await (await service.get("/privacidad?lang=en")).text()
    assert '<html lang="en">' in english and "<h1>Privacy policy</h1>" in english
    assert 'href="?lang=es"' in english and ">Español<" in english


@pytest.mark.parametrize(
    ("accept", "default", "language"),
    [
        ("en-GB,en;q=0.9", "es", "en"),
        ("es-AR,es;q=0.9,en;q=0.8", "en", "es"),
        ("fr-FR,de;q=0.8", "en", "en"),  # neither: the city's language
        ("", "es", "es"),
    ],
)
async def test_the_browser_s_language_else_the_city_s(
    make_service: MakeService, accept: str, default: str, language: str
) -> None:
    service = await make_service(default_language=default)
    page = await service.get("/privacidad", headers={"Accept-Language": accept})
    assert f'<html lang="{language}">' in await page.text()
    assert page.headers["Vary"] == "Accept-Language"
    chosen = await service.get("/privacidad?lang=es", headers={"Accept-Language": accept})
    assert '<html lang="es">' in await chosen.text()  # the link wins over the browser


async def test_head_and_a_revalidation_without_a_body(make_service: MakeService) -> None:
    service = await make_service()
    head = await service.head("/privacidad")
    assert head.status == 200 and await head.read() == b""
    page = await service.get("/privacidad")
    again = await service.get("/privacidad", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status == 304 and await again.read() == b""
    other = await service.get("/privacidad?lang=en", headers={"If-None-Match": page.headers["ETag"]})
    assert other.status == 200


async def test_an_edit_of_the_file_shows_without_a_restart(
    make_service: MakeService, policies: dict[str, Path]
) -> None:
    service = await make_service()
    before = await service.get("/privacidad")
    policies["es"].write_text("# Política de privacidad\n\nVersión nueva: oficial Marta Gómez.\n", "utf-8")
    stat = policies["es"].stat()
    os.utime(policies["es"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = await service.get("/privacidad", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and "oficial Marta Gómez" in await after.text()


async def test_a_city_s_file_cannot_put_a_script_on_the_page(
    make_service: MakeService, policies: dict[str, Path]
) -> None:
    policies["es"].write_text(
        "# Política\n\n<script>alert('es')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[clic](javascript:alert(2)) y [la ley](https://www.funcionpublica.gov.co/) y <b>negrita</b>\n",
        "utf-8",
    )
    service = await make_service()
    page = await service.get("/privacidad")
    html = await page.text()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert 'href="javascript:' not in html and 'href="https://www.funcionpublica.gov.co/"' in html
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'self'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_missing_policy_is_a_page_saying_so_and_a_warning_at_start(
    make_service: MakeService, policies: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    for path in policies.values():
        path.unlink()
    with caplog.at_level(logging.WARNING, logger="connectors.rest.policy"):
        service = await make_service()
    assert any("privacy.policy.es" in r.getMessage() for r in caplog.records)
    page = await service.get("/privacidad")
    assert page.status == 200 and "todavía no ha publicado su política" in await page.text()
    english = await service.get("/privacidad?lang=en")
    assert "has not published its privacy policy yet" in await english.text()
    policies["es"].write_text("# Política de privacidad\n\nYa publicada.\n", "utf-8")
    assert "Ya publicada." in await (await service.get("/privacidad")).text()


async def test_one_language_missing_shows_the_other_with_a_note(
    make_service: MakeService, policies: dict[str, Path]
) -> None:
    policies["en"].unlink()
    service = await make_service()
    html = await (await service.get("/privacidad?lang=en")).text()
    assert "only published in Spanish" in html and "<h1>Política de privacidad</h1>" in html
    assert '<main class="policy" id="policy" lang="es">' in html  # read aloud in Spanish


def test_the_policy_s_paths_are_beside_config_yml(tmp_path: Path) -> None:
    """Like the media folder and the database, wherever the command runs from."""
    config = tmp_path / "city" / "config.yml"
    config.parent.mkdir()
    shutil.copyfile(REPO_ROOT / "config.yml", config)
    settings = load_settings(config, {})
    assert settings.privacy.policy_path("es") == tmp_path / "city" / "docs" / "policy" / "privacidad.md"
    assert settings.privacy.policy_path("en") == tmp_path / "city" / "docs" / "policy" / "privacy.md"
