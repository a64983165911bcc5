"""`serve --workers N`: N stateless processes sharing one port, kept alive by a small supervisor."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from multiprocessing.process import BaseProcess
from types import FrameType

from aiohttp import web

from bot.settings import Settings
from storage.engine import is_sqlite

log = logging.getLogger(__name__)
RESPAWN_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying, so it cannot spin


def _worker(settings: Settings, host: str, port: int, number: int) -> None:
    from bot.app import create_app

    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s worker-{number} %(levelname)s %(name)s: %(message)s"
    )
    # SO_REUSEPORT: the kernel spreads new connections over every process listening on the port.
    web.run_app(create_app(settings), host=host, port=port, reuse_port=True, access_log=None, print=None)


class Supervisor:
    """Starts the workers, restarts any that dies, and stops them all on SIGTERM or Ctrl-C."""

    def __init__(self, settings: Settings, host: str, port: int, count: int) -> None:
        self.settings, self.host, self.port, self.count = settings, host, port, count
        # spawn, not fork: each worker builds its own event loop, engine and connections from scratch.
        self.context = multiprocessing.get_context("spawn")
        self.workers: dict[int, BaseProcess] = {}
        self.stopping = False

    def start(self, number: int) -> None:
        process = self.context.Process(
            target=_worker, args=(self.settings, self.host, self.port, number), name=f"worker-{number}"
        )
        process.start()
        self.workers[number] = process
        log.info("worker %d started (pid %s)", number, process.pid)

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        if is_sqlite(self.settings.database.url):
            log.warning("several workers on SQLite take turns on one writer; use PostgreSQL for real load")
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for number in range(self.count):
            self.start(number)
        print(f"Ventanilla on http://{self.host}:{self.port}/ with {self.count} workers", flush=True)
        while not self.stopping:
            time.sleep(0.2)
            for number, process in list(self.workers.items()):
                if not process.is_alive() and not self.stopping:
                    log.warning("worker %d died (exit %s); restarting", number, process.exitcode)
                    time.sleep(RESPAWN_PAUSE)
                    self.start(number)
        for process in self.workers.values():
            process.terminate()  # SIGTERM: aiohttp finishes the requests in flight and runs cleanup
        for process in self.workers.values():
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        return 0
