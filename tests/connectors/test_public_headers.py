"""Public answers carry security headers and name no versions (issue 12, findings 9 and 11).

Each test asks as a stranger would and looks at what a browser would act on: who may frame the chat page,
whether a file may be sniffed into a script, whether a citizen's photo opened directly can run anything.
"""

from __future__ import annotations

import pytest

from tests.connectors.conftest import Client
from tests.connectors.test_rest import PNG, photo_form


def no_versions(server: str) -> bool:
    return (
        "aiohttp" not in server.lower()
        and "python" not in server.lower()
        and not any(c.isdigit() for c in server)
    )


async def test_the_chat_page_cannot_be_framed_by_another_site_nor_sniffed(service: Client) -> None:
    page = await service.get("/")
    assert page.status == 200
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert no_versions(page.headers["Server"])
    script = await service.get("/static/chat.js")
    assert script.status == 200 and script.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_photo_opened_directly_runs_nothing(service: Client) -> None:
    # A "photo" that is also HTML: served from our origin it must not become a page with scripts.
    uploaded = await service.post(
        "/webchat/upload?sender=web-polyglot-5f3c9d27e1", data=photo_form(PNG + b"<script>alert(1)</script>")
    )
    assert uploaded.status == 201, await uploaded.text()
    media = await service.get((await uploaded.json())["url"])
    assert media.status == 200
    assert b"<script>" not in await media.read()  # drawn again from its pixels: the script is gone
    csp = media.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert media.headers["X-Content-Type-Options"] == "nosniff"
    assert media.headers["Content-Type"].startswith("image/")


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/no/such/page", "/open311/v2/services.json"])
async def test_no_answer_names_the_server_software_or_its_version(service: Client, path: str) -> None:
    response = await service.get(path)
    assert no_versions(response.headers["Server"]), response.headers["Server"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_inbox_keeps_its_own_stricter_policy(service: Client) -> None:
    login = await service.get("/inbox/login")
    assert login.status == 200
    assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
    assert login.headers["X-Frame-Options"] == "DENY"
    assert no_versions(login.headers["Server"])
