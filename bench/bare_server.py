"""The ceiling: bare aiohttp handlers at the web chat and Twilio webhook paths, doing nothing but answer."""

from __future__ import annotations

import argparse

from aiohttp import web

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def web_chat(request: web.Request) -> web.Response:
    await request.read()  # take the body off the wire, as any real handler must
    return web.json_response([])


async def twilio(request: web.Request) -> web.Response:
    await request.post()  # Twilio posts a form: parse it, as a real handler must before checking it
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", web_chat)
    app.router.add_post("/webhooks/twilio", twilio)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
