"""Ventanilla under load, in one run: the web chat and signed Twilio webhooks on SQLite (1 worker) and
PostgreSQL (1 and 2 workers), beside a bare aiohttp ceiling and Rasa 3.6's own REST channel.

Starts everything it needs on 127.0.0.1 (a throw-away PostgreSQL cluster, a fake Twilio REST API for the
outbox, the servers), drives each from a separate load-generator process, prints the table, writes the
plot, and stops every process it started on the way out — on success, error, Ctrl-C, SIGTERM or when
--time-limit runs out.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

import paths  # first: puts bench/ on sys.path, for chat.py

# isort: split
import chat
from conversations import ACCOUNT_SID, AUTH_TOKEN, OUR_NUMBER, REST_PATH
from loadgen import Result, from_json
from processes import BenchError, Child, cpu_seconds, get_json, wait_until, worker_pids
from report import Row, markdown_table, plot, row_from_json, text_table

from tests.support.pg_cluster import free_port
from tests.support.postgres import PostgresServer, postgres_available

PUBLIC_URL = "https://ventanilla.example.org"  # what Twilio signs; never called: the fake sends no callbacks
TARGETS = {
    "bare": "bare aiohttp (ceiling)",
    "sqlite1": "Ventanilla, SQLite, 1 worker",
    "pg1": "Ventanilla, PostgreSQL, 1 worker",
    "pg2": "Ventanilla, PostgreSQL, 2 workers",
    "rasa": "Rasa 3.6 REST channel",
    # Only with --baseline REV: the same service at another revision, for a before/after in one run.
    "base1": "Ventanilla at the baseline, SQLite, 1 worker",
    "basepg1": "Ventanilla at the baseline, PostgreSQL, 1 worker",
}
BASELINES = ("base1", "basepg1")
CHANNELS = ("rest", "twilio")
# kept with the results
SETTINGS = ("concurrency", "duration", "warmup", "rounds", "targets", "channels", "baseline")


class TimeUp(BaseException):
    """--time-limit ran out: unwind (every server is stopped on the way) and exit."""


def say(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def base_env() -> dict[str, str]:
    """This environment without anything that would steer the servers elsewhere."""
    prefixes = ("VENTANILLA_", "TWILIO_", "TELEGRAM_", "RASA_URL", "PG")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def ventanilla_env(database_url: str, twilio_api: str) -> dict[str, str]:
    """The repository's config.yml (built-in classifier), this database, Twilio on against the fake."""
    return base_env() | {
        "VENTANILLA_DATABASE_URL": database_url,
        "VENTANILLA_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": twilio_api,
        "TWILIO_SMS_FROM": OUR_NUMBER,
    }


def measure(row: Row, channel: str, base_url: str, args: argparse.Namespace) -> Result:
    """Run the load generator, a separate process, against one target and channel."""
    name = row.label
    plan = f"{args.concurrency} citizens, {args.warmup:g} s warm-up, {args.duration:g} s"
    say(f"driving {name} / {channel}: {plan}")
    command = [
        sys.executable, str(paths.HERE / "loadgen.py"), "--name", name, "--url", base_url,
        "--channel", channel,
        "--public-url", PUBLIC_URL, "--auth-token", AUTH_TOKEN, "--concurrency", str(args.concurrency),
        "--warmup", str(args.warmup), "--duration", str(args.duration),
        "--request-timeout", str(args.request_timeout),
    ]  # fmt: skip
    limit = args.warmup + args.duration + args.request_timeout + 60
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    if done.returncode != 0:
        raise BenchError(f"the load generator failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = from_json(json.loads(done.stdout.strip().splitlines()[-1]))
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    loadgen = now.ru_utime + now.ru_stime - spent.ru_utime - spent.ru_stime
    row.loadgen_cpu_ms[channel] = per_message(loadgen, result)
    if result.errors:
        say(f"{name} / {channel}: {result.errors} errors {result.outcomes}; first: {result.first_error}")
    return result


def probe(name: str, base_url: str) -> None:
    """One "hola" on the web chat before the load, so the log shows what the target answers."""
    # An id nobody could guess, as the service requires of a web chat (docs/security.md).
    body = json.dumps({"sender": f"probe-{uuid.uuid4().hex}", "message": "hola"}).encode()
    request = urllib.request.Request(
        f"{base_url}{REST_PATH}", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    shown = " / ".join(str(reply.get("text", "")) for reply in replies)[:160] if replies else "[]"
    say(f'{name} answers "hola" with: {shown}')


class Provider:
    """The fake Twilio REST API, a process of its own, and what it has received."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.child = Child("fake Twilio", [sys.executable, str(paths.HERE / "provider.py")], base_env())
        stack.callback(self.child.stop)
        self.child.start(stdout_pipe=True)
        where = json.loads(self.child.first_line(timeout=30))
        self.url, self.stats_url = str(where["url"]), str(where["stats"])

    def stats(self) -> dict[str, int]:
        answer = get_json(self.stats_url, timeout=10)
        if not isinstance(answer, dict):
            raise BenchError(f"the fake Twilio does not answer:\n{self.child.tail()}")
        return {str(k): int(v) for k, v in answer.items()}

    def drained(self, timeout: float) -> tuple[dict[str, int], float]:
        """Its stats once nothing new has come for 3 s (the outbox is done), and how long that took."""
        started = time.monotonic()
        last, steady_since = self.stats(), time.monotonic()
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            now = self.stats()
            if now["messages"] != last["messages"]:
                last, steady_since = now, time.monotonic()
            elif time.monotonic() - steady_since >= 3:
                break
        return last, max(0.0, steady_since - started)


def run_target(
    row: Row,
    base_url: str,
    channels: list[str],
    provider: Provider | None,
    args: argparse.Namespace,
    serving: list[int],
    database: tuple[int, ...] = (),
) -> None:
    """Measure each channel, charging the messages the CPU time of `serving` and `database` (root pids)."""
    probe(row.label, base_url)
    for channel in channels:
        service_before, database_before = cpu_seconds(*serving), cpu_seconds(*database)
        if channel == "rest":
            result = row.rest = measure(row, channel, base_url, args)
        else:
            before = provider.stats() if provider is not None else None
            result = row.twilio = measure(row, channel, base_url, args)
            if provider is not None and before is not None:
                drained, row.drain_seconds = provider.drained(timeout=120)
                row.replies = drained["messages"] - before["messages"]
                again = drained["tokens_sent_again"] - before["tokens_sent_again"]
                row.notes.append(
                    f"Twilio: {row.replies} replies delivered, the last {row.drain_seconds:.1f} s after the "
                    f"load stopped; idempotency tokens sent more than once: {again}"
                )
        # taken after the outbox has drained: sending the replies is part of what an SMS costs
        spent_database = cpu_seconds(*database) - database_before
        spent = cpu_seconds(*serving) - service_before + spent_database
        setattr(row, f"{channel}_cpu_ms", per_message(spent, result))
        if database:
            row.database_cpu_ms[channel] = per_message(spent_database, result)


def per_message(seconds: float, result: Result) -> float | None:
    return round(seconds * 1000 / result.answered, 2) if result.answered else None


@contextlib.contextmanager
def server(name: str, command: list[str], env: dict[str, str], cwd: Path = paths.REPO) -> Iterator[Child]:
    """A server child for the length of the block; it must still be alive at the end."""
    child = Child(name, command, env, cwd)
    with contextlib.ExitStack() as own:
        own.callback(child.stop)
        child.start()
        yield child
        if not child.alive:
            raise BenchError(f"{name} died during the run:\n{child.tail()}")


def pid_of(child: Child) -> int:
    assert child.process is not None
    return child.process.pid


def postmaster_pid(server: PostgresServer) -> int:
    """The PostgreSQL server's own pid: its backends and helpers are its children."""
    assert server.log_path is not None
    return int((server.log_path.parent / "data" / "postmaster.pid").read_text().split()[0])


def bare_target(row: Row, channels: list[str], args: argparse.Namespace) -> None:
    port = free_port()
    command = [
        sys.executable,
        str(paths.HERE.parent / "bare_server.py"),
        "--host",
        paths.HOST,
        "--port",
        str(port),
    ]
    with server(row.label, command, base_env()) as child:
        base = f"http://{paths.HOST}:{port}"
        wait_until(child, lambda: get_json(f"{base}/healthz") is not None, args.startup_timeout, "/healthz")
        run_target(row, base, channels, None, args, [pid_of(child)])


def ventanilla_target(
    row: Row, database_url: str, database_pids: list[int], workers: int, provider: Provider,
    channels: list[str], args: argparse.Namespace, source: Path | None = None,
) -> None:  # fmt: skip
    """`source`: a checkout of another revision to serve instead of this one (same virtualenv)."""
    env = ventanilla_env(database_url, provider.url)
    ventanilla = paths.ventanilla_command()
    if source is not None:
        # `python -m` puts the working directory first on sys.path: the other checkout's packages win
        # over this one's editable install; its own config.yml and nlu/data come with it.
        ventanilla, env = [sys.executable, "-m", "bot.cli"], env | {"PYTHONPATH": str(source)}
    cwd = source or paths.REPO
    upgrade = subprocess.run(
        [*ventanilla, "db", "upgrade"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    if upgrade.returncode != 0:
        raise BenchError(f"`ventanilla db upgrade` failed:\n{upgrade.stderr[-3000:]}")
    port = free_port()
    command = [*ventanilla, "serve", "--host", paths.HOST, "--port", str(port), "--workers", str(workers)]
    with server(row.label, command, env, cwd=cwd) as child:
        base = f"http://{paths.HOST}:{port}"
        pids = worker_pids(base, workers, args.startup_timeout, child)
        say(f"{row.label} is up (pids {sorted(pids)})")
        run_target(row, base, channels, provider, args, [pid_of(child)], tuple(database_pids))


def rasa_target(row: Row, channels: list[str], args: argparse.Namespace) -> None:
    from rasa_bot import prepare

    assistant = prepare(say)
    if assistant.trained_seconds:
        say(f"rasa: trained in {assistant.trained_seconds:.0f} s (cached for the next runs)")
    from nlu.rasa.train import rasa_env

    port = free_port()
    command = assistant.serve_command(port, paths.HOST)
    with server(row.label, command, rasa_env(), cwd=assistant.project) as child:
        base = f"http://{paths.HOST}:{port}"

        def loaded() -> bool:
            status = get_json(f"{base}/status")
            return isinstance(status, dict) and bool(status.get("model_file"))

        seconds = wait_until(child, loaded, max(args.startup_timeout, 300), "a loaded model at /status")
        say(f"{row.label} is up ({seconds:.0f} s to load the model)")
        # Rasa's Twilio channel answers through api.twilio.com itself, which this bench never calls.
        run_target(row, base, [c for c in channels if c == "rest"], None, args, [pid_of(child)])
        if "twilio" in channels:
            row.notes.append(
                "Rasa: its Twilio channel sends through api.twilio.com (no base URL to redirect), so n/a"
            )


@contextlib.contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """A detached worktree of `revision` for the length of the block, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="ventanilla-baseline-")) / "tree"
    git = ["git", "-C", str(paths.REPO)]
    made = subprocess.run([*git, "worktree", "add", "--detach", str(folder), revision], capture_output=True,
                          text=True, check=False)  # fmt: skip
    if made.returncode != 0:
        raise BenchError(f"cannot check out {revision}: {made.stderr.strip()}")
    say(f"baseline {revision} checked out in {folder}")
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], capture_output=True, check=False)


def machine() -> dict[str, Any]:
    """bench/chat.py's description of the machine, with the load average when the run starts."""
    return chat.machine() | {"load_average": [round(x, 2) for x in os.getloadavg()]}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=16, help="simulated citizens (default 16)")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="measured seconds per target and channel"
    )
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything; report medians (default 1)")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first (default 3)")
    everyday = ",".join(t for t in TARGETS if t not in BASELINES)
    parser.add_argument("--targets", default=everyday, help=f"some of {','.join(TARGETS)}")
    parser.add_argument("--channels", default=",".join(CHANNELS), help="rest, twilio or both (default both)")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="per message (default 30 s)")
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="per server (default 120 s)")
    parser.add_argument("--time-limit", type=float, default=2400.0, help="for the whole run (default 40 min)")
    parser.add_argument("--plot", type=Path, default=paths.DOCS / "performance_load.png", help="PNG to write")
    parser.add_argument("--no-plot", action="store_true", help="write no PNG")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--from-json", type=Path, help="measure nothing: report a run saved with --json")
    parser.add_argument("--markdown", action="store_true", help="also print the table in Markdown")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also serve this git revision beside this one (base1, SQLite; or basepg1 if asked)",
    )
    args = parser.parse_args(argv)
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    if args.baseline and not any(t in args.targets for t in BASELINES):
        args.targets.append("base1")
    if any(t in args.targets for t in BASELINES) and not args.baseline:
        parser.error("targets base1 and basepg1 need --baseline REV")
    args.channels = [c.strip() for c in args.channels.split(",") if c.strip()]
    if unknown := [t for t in args.targets if t not in TARGETS] + [
        c for c in args.channels if c not in CHANNELS
    ]:
        parser.error(f"unknown target or channel: {', '.join(unknown)}")
    if (
        args.rounds < 1
        or args.concurrency < 1
        or args.duration <= 0
        or args.warmup < 0
        or args.time_limit <= 0
    ):
        parser.error("concurrency, duration and time limit must be positive")
    args.duration = min(args.duration, 600.0)  # bounded whatever is asked
    return args


def bench(args: argparse.Namespace, rounds: list[list[Row]]) -> None:
    with contextlib.ExitStack() as stack:
        # Ventanilla's outbox needs somewhere to send Twilio replies: the fake, in a process of its own.
        served = any(t in args.targets for t in ("sqlite1", "pg1", "pg2", *BASELINES))
        provider = Provider(stack) if served else None
        postgres: PostgresServer | None = None
        baseline: Path | None = None
        for number in range(args.rounds):
            rows: list[Row] = []
            rounds.append(rows)
            keys = [k for k in TARGETS if k in args.targets]
            # Every other round runs backwards, so a drift in the machine's background load evens out.
            for key in keys[::-1] if number % 2 else keys:
                row = Row(key, TARGETS[key])
                rows.append(row)
                say(f"— {row.label}" + (f" (round {number + 1} of {args.rounds})" if args.rounds > 1 else ""))
                if key == "bare":
                    bare_target(row, args.channels, args)
                elif key == "rasa":
                    rasa_target(row, args.channels, args)
                elif key in ("sqlite1", "base1"):
                    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ventanilla-load-")))
                    assert provider is not None
                    database_url = f"sqlite+aiosqlite:///{folder}/load.db"
                    source = None
                    if key == "base1":
                        source = baseline or stack.enter_context(checkout(args.baseline))
                        baseline, row.label = source, f"Ventanilla at {args.baseline}, SQLite, 1 worker"
                    ventanilla_target(row, database_url, [], 1, provider, args.channels, args, source)
                else:
                    if postgres is None:
                        if (reason := postgres_available()) is not None:
                            raise BenchError(f"PostgreSQL targets need a server: {reason}")
                        postgres = stack.enter_context(PostgresServer())
                        took = postgres.startup_seconds or 0.0
                        say(f"PostgreSQL up on {paths.HOST}:{postgres.port} in {took:.1f} s")
                    database = f"load_{key}_{number}"
                    postgres.create_database(database)
                    workers = 2 if key == "pg2" else 1
                    assert provider is not None
                    source = None
                    if key == "basepg1":
                        source = baseline or stack.enter_context(checkout(args.baseline))
                        baseline, row.label = source, f"Ventanilla at {args.baseline}, PostgreSQL, 1 worker"
                    ventanilla_target(
                        row,
                        postgres.url(database),
                        [postmaster_pid(postgres)],
                        workers,
                        provider,
                        args.channels,
                        args,
                        source,
                    )


def median_rows(rounds: list[list[Row]]) -> list[Row]:
    """Per target and channel, the round with the median messages per second (the lower one of two)."""
    combined: list[Row] = []
    for key in TARGETS:
        runs = [row for rows in rounds for row in rows if row.key == key]
        if not runs:
            continue
        row = Row(key, runs[0].label)
        rests = sorted(
            (r for r in runs if r.rest is not None), key=lambda r: r.rest.msgs_per_s if r.rest else 0
        )
        if rests:
            middle = rests[(len(rests) - 1) // 2]
            row.rest, row.rest_cpu_ms = middle.rest, middle.rest_cpu_ms
            row.loadgen_cpu_ms["rest"] = middle.loadgen_cpu_ms.get("rest")
            row.database_cpu_ms["rest"] = middle.database_cpu_ms.get("rest")
        twilios = sorted(
            (r for r in runs if r.twilio is not None), key=lambda r: r.twilio.msgs_per_s if r.twilio else 0
        )
        if twilios:
            chosen = twilios[(len(twilios) - 1) // 2]
            row.twilio, row.replies, row.drain_seconds = chosen.twilio, chosen.replies, chosen.drain_seconds
            row.twilio_cpu_ms = chosen.twilio_cpu_ms
            row.loadgen_cpu_ms["twilio"] = chosen.loadgen_cpu_ms.get("twilio")
            row.database_cpu_ms["twilio"] = chosen.database_cpu_ms.get("twilio")
        for number, run in enumerate(runs, 1):
            row.notes += [f"round {number}: {note}" if len(runs) > 1 else note for note in run.notes]
        combined.append(row)
    return combined


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def time_up(_signum: int, _frame: FrameType | None) -> None:
        raise TimeUp

    # SIGTERM unwinds like Ctrl-C; SIGALRM bounds the whole run. Every `finally` stops its processes.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, args.time_limit)
    info = machine()
    rounds: list[list[Row]] = []
    started = time.monotonic()
    if args.from_json is not None:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        info, chosen = saved["machine"], saved["settings"]
        rounds = [[row_from_json(row) for row in round_rows] for round_rows in saved["rounds"]]
    else:
        try:
            bench(args, rounds)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        info["seconds"] = round(time.monotonic() - started)
        chosen = {k: getattr(args, k) for k in SETTINGS}
    rows = median_rows(rounds)
    settings = f"{chosen['concurrency']} citizens, {chosen['warmup']:g} s warm-up + {chosen['duration']:g} s "
    settings += "measured per cell" + (
        f", median of {chosen['rounds']} rounds" if chosen["rounds"] > 1 else ""
    )
    print(f"\n{info['cores']} cores, {info['cpu']}, Python {info['python']}, load average "
          f"{info['load_average'][0]} before / {info['load_average_after'][0]} after; {settings}; "
          f"{info.get('seconds', '?')} s in all\n")  # fmt: skip
    print(text_table(rows))
    for row in rows:
        for note in row.notes:
            print(f"  {row.label} — {note}")
        for what, figures in (
            ("its PostgreSQL", row.database_cpu_ms),
            ("the load generator", row.loadgen_cpu_ms),
        ):
            if any(ms is not None for ms in figures.values()):
                spent = ", ".join(f"{channel} {ms} ms" for channel, ms in figures.items())
                print(f"  {row.label} — CPU per message in {what}: {spent}")
    if args.markdown:
        print("\n" + markdown_table(rows))
    if not args.no_plot:
        plot(rows, args.plot, f"{info['cores']} cores, {settings}")
        print(f"\nplot: {args.plot}")
    if args.json:
        report = {
            "machine": info,
            "settings": chosen,
            "rows": [asdict(row) for row in rows],
            "rounds": [[asdict(row) for row in round_rows] for round_rows in rounds],
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    return 1 if any(r.errors for row in rows for r in (row.rest, row.twilio) if r is not None) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted; every process stopped", file=sys.stderr)
        sys.exit(130)
    except TimeUp:
        print("\n--time-limit ran out; every process stopped", file=sys.stderr)
        sys.exit(124)
    except BenchError as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        sys.exit(2)
