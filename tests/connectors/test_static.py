"""The pages' own files come from memory: the right type, an ETag a browser revalidates with, and nothing
else of the disk reachable under their prefix."""

from __future__ import annotations

from pathlib import Path

from tests.connectors.conftest import Client

CHAT_STATIC = Path(__file__).resolve().parents[2] / "connectors" / "rest" / "static"


async def test_a_file_is_served_whole_then_revalidated_without_a_body(service: Client) -> None:
    script = await service.get("/static/chat.js")
    assert script.status == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert await script.read() == (CHAT_STATIC / "chat.js").read_bytes()
    etag = script.headers["ETag"]
    again = await service.get("/static/chat.js", headers={"If-None-Match": etag})
    assert again.status == 304 and await again.read() == b"" and again.headers["ETag"] == etag
    other = await service.get("/static/chat.css", headers={"If-None-Match": etag})
    assert other.status == 200 and other.headers["ETag"] != etag


async def test_the_chat_page_still_hands_out_its_secret_when_the_browser_has_it_cached(
    service: Client,
) -> None:
    page = await service.get("/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "ventanilla_chat" in page.cookies
    service.session.cookie_jar.clear()
    cached = await service.get("/", headers={"If-None-Match": page.headers["ETag"]})
    assert cached.status == 304 and "ventanilla_chat" in cached.cookies


async def test_nothing_but_the_folder_s_files_is_served(service: Client) -> None:
    for path in ("/static/", "/static/nope.js", "/static/../bot/settings.py", "/static/%2e%2e/config.yml"):
        assert (await service.get(path)).status == 404, path
