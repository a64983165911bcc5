"""Web chat throughput: Ventanilla's real service against a bare aiohttp ceiling, on loopback, in one run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from citizens import Result, drive

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def ventanilla_command() -> Path:
    beside = Path(sys.executable).parent / "ventanilla"
    return beside if beside.exists() else REPO / ".venv" / "bin" / "ventanilla"


def tail(log: IO[bytes], lines: int = 40) -> str:
    log.flush()
    log.seek(0)
    return "\n".join(log.read().decode("utf-8", "replace").splitlines()[-lines:])


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and anything it started: it runs in its own process group, made for it."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_healthy(process: subprocess.Popen[bytes], port: int, log: IO[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://{HOST}:{port}/healthz"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f} s:\n{tail(log)}")


@contextlib.contextmanager
def server(name: str, command: list[str], port: int, env: dict[str, str], startup: float) -> Iterator[str]:
    """Run one server as a subprocess until the block ends, whatever way it ends."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_healthy(process, port, log, startup)
            print(f"  {name} is up on {HOST}:{port}", file=sys.stderr)
            yield f"http://{HOST}:{port}"
            if process.poll() is not None:
                raise SystemExit(f"{name} died during the run:\n{tail(log)}")
        finally:
            stop(process)


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VENTANILLA_CONFIG", None)  # the repository's config.yml is the one measured
    env["PYTHONUNBUFFERED"] = "1"
    return env


def bare(port: int, startup: float) -> contextlib.AbstractContextManager[str]:
    command = [sys.executable, str(BENCH / "bare_server.py"), "--host", HOST, "--port", str(port)]
    return server("bare aiohttp", command, port, base_env(), startup)


@contextlib.contextmanager
def ventanilla(port: int, startup: float) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="ventanilla-bench-") as tmp:
        env = base_env()
        env["VENTANILLA_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp}/bench.db"
        cli = str(ventanilla_command())
        upgrade = subprocess.run(
            [cli, "db", "upgrade"],
            cwd=REPO,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        if upgrade.returncode != 0:
            raise SystemExit(f"`ventanilla db upgrade` failed:\n{upgrade.stderr.decode()[-4000:]}")
        command = [cli, "serve", "--host", HOST, "--port", str(port)]
        with server("ventanilla", command, port, env, startup) as url:
            yield url


def machine() -> dict[str, Any]:
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def table(results: list[Result]) -> str:
    rows = [("target", "messages", "seconds", "msgs/s", "p50 ms", "p99 ms", "errors")]
    for r in results:
        figures = (f"{r.seconds:.1f}", f"{r.msgs_per_s:.1f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}")
        rows.append((r.target, str(r.messages), *figures, str(r.errors)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(cells))

    lines = [line(row) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=16, help="simulated citizens (default 16)")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds a target (default 15)")
    parser.add_argument("--messages", type=int, default=None, help="stop a target after this many messages")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first (default 3)")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="per message (default 30 s)")
    parser.add_argument("--startup-timeout", type=float, default=60.0, help="for /healthz (default 60 s)")
    parser.add_argument("--only-bare", action="store_true", help="measure the bare server only")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.duration <= 0 or args.warmup < 0 or (args.messages or 1) < 1:
        parser.error("concurrency, duration and messages must be positive")
    args.duration = min(args.duration, 600.0)  # bounded whatever is asked
    return args


def measure(name: str, url: str, args: argparse.Namespace) -> Result:
    limit = f" or {args.messages} messages" if args.messages else ""
    plan = f"{args.concurrency} citizens, {args.warmup:g} s warm-up, {args.duration:g} s{limit}"
    print(f"  driving {name}: {plan}", file=sys.stderr)
    result = asyncio.run(
        drive(
            name,
            url,
            concurrency=args.concurrency,
            warmup=args.warmup,
            duration=args.duration,
            messages=args.messages,
            request_timeout=args.request_timeout,
        )
    )
    if result.first_error:
        print(
            f"  {name}: {result.errors} errors {result.outcomes}; first: {result.first_error}",
            file=sys.stderr,
        )
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C does (asyncio cancels the load first), so every `finally` stops its server.
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    results: list[Result] = []
    with bare(free_port(), args.startup_timeout) as url:
        results.append(measure("bare aiohttp (ceiling)", url, args))
    if not args.only_bare:
        with ventanilla(free_port(), args.startup_timeout) as url:
            results.append(measure("ventanilla", url, args))
    ceiling = results[0].msgs_per_s
    ratio = results[1].msgs_per_s / ceiling if len(results) > 1 and ceiling else None
    info = machine()
    print(
        f"\n{info['cores']} cores, {info['cpu']}, Python {info['python']}; "
        f"{args.concurrency} concurrent citizens, {args.warmup:g} s warm-up then measured\n"
    )
    print(table(results))
    if ratio is not None:
        print(f"\nventanilla / ceiling: {ratio:.1%} of the bare server's messages per second")
    if args.json:
        settings = {k: getattr(args, k) for k in ("concurrency", "duration", "messages", "warmup")}
        report = {
            "machine": info,
            "settings": settings,
            "results": [asdict(r) for r in results],
            "ratio": None if ratio is None else round(ratio, 4),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
