"""The ceiling: a bare aiohttp server whose web chat webhook only answers 200 with an empty list."""

from __future__ import annotations

import argparse

from aiohttp import web


async def webhook(request: web.Request) -> web.Response:
    await request.read()  # take the body off the wire, as any real handler must
    return web.json_response([])


async def healthz(_: web.Request) -> web.Response:
    return web.Response(text="ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
