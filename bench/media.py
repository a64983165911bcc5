"""Upload and serve latency of a web chat photo with media in a folder and in a bucket, side by side.

Run: .venv/bin/python bench/media.py [--photos N]
Each back-end gets the whole service on a real port (SQLite, a scripted classifier), a fresh folder or a
bucket on moto's local S3 server (in a thread of this process, so its own work competes with the
service's: a pessimistic stand-in for MinIO on another machine, not a measure of AWS), and the same
phone-sized photo. Uploads include decoding and drawing the photo again, the same on both back-ends;
serving is the store's read alone.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from PIL import Image  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.settings_loading import load_settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.pg_cluster import free_port  # noqa: E402
from tests.support.s3 import LocalS3  # noqa: E402
from tests.support.scripted import dialogue_rules  # noqa: E402

SENDER = "web-bench-5f3c9d27e1a4"


def photo() -> bytes:
    """A 1600 × 1200 JPEG with some detail, about what a phone sends after its own compression."""
    out = io.BytesIO()
    Image.effect_noise((1600, 1200), 30).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def settings_for(folder: Path, bucket: dict[str, str] | None) -> Settings:
    database = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    overrides = {
        "database.url": database,
        "media.dir": str(folder / "media"),
        "nlu.model_dir": str(folder / "nlu"),
        "media.uploads_per_hour": "100000",
        "media.upload_mb_per_hour": "100000",
        "media.total_upload_mb_per_hour": "100000",
    }
    return load_settings(None, {}, **overrides, **(bucket or {}))


async def measure(settings: Settings, content: bytes, photos: int) -> tuple[list[float], list[float]]:
    runner = web.AppRunner(create_app(settings, classifier=dialogue_rules()))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    base = f"http://127.0.0.1:{port}"
    uploads: list[float] = []
    reads: list[float] = []
    try:
        async with aiohttp.ClientSession() as http:
            token = (await (await http.post(f"{base}/webchat/token")).json())["token"]
            auth = {"Authorization": f"Bearer {token}"}
            urls = []
            for _ in range(photos):
                form = aiohttp.FormData()
                form.add_field("photo", io.BytesIO(content), filename="p.jpg", content_type="image/jpeg")
                started = time.perf_counter()
                response = await http.post(f"{base}/webchat/upload?sender={SENDER}", data=form, headers=auth)
                body = await response.json()
                uploads.append(time.perf_counter() - started)
                assert response.status == 201, body
                urls.append(body["url"])
            for url in urls * 2:
                started = time.perf_counter()
                async with http.get(f"{base}{url}") as response:
                    await response.read()
                    assert response.status == 200
                reads.append(time.perf_counter() - started)
    finally:
        await runner.cleanup()
    return uploads, reads


def row(name: str, uploads: list[float], reads: list[float]) -> str:
    def ms(values: list[float], q: int) -> str:
        return f"{statistics.quantiles(values, n=100)[q - 1] * 1000:.1f}"

    return f"| {name} | {ms(uploads, 50)} | {ms(uploads, 95)} | {ms(reads, 50)} | {ms(reads, 95)} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    args = parser.parse_args()
    content = photo()
    print(f"{args.photos} uploads of a {len(content) // 1024} kB JPEG, then {2 * args.photos} reads\n")
    print("| media | upload p50 ms | upload p95 ms | serve p50 ms | serve p95 ms |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp, LocalS3() as s3:
        folder = Path(tmp)
        for name, bucket in (("folder", None), ("s3 (moto)", s3.settings_overrides(s3.new_bucket()))):
            place = folder / name.split()[0]
            place.mkdir()
            await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{place / 'bench.db'}")
            uploads, reads = await measure(settings_for(place, bucket), content, args.photos)
            print(row(name, uploads, reads))


if __name__ == "__main__":
    asyncio.run(main())
