"""Rasa's own virtualenv (Python 3.10), built once per pinned requirements file, cached outside the clone."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REQUIREMENTS = Path(__file__).with_name("requirements.txt")
PYTHON_VERSION = (3, 10)  # Rasa 3.6 supports 3.8–3.10; the pins in requirements.txt were made on 3.10
PIP_VERSION = "24.3.1"
PYTHON_ENV = "VENTANILLA_RASA_PYTHON"  # an explicit interpreter wins over every search
CACHE_ENV = "VENTANILLA_CACHE_DIR"
COMPLETE = ".complete"  # written last: a folder without it is a build that died half-way
PROGRESS_EVERY = 25  # packages between two progress lines while pip resolves

Progress = Callable[[str], None]


class RasaSetupError(RuntimeError):
    """Rasa's virtualenv cannot be built here; the message says what is missing."""


@dataclass(frozen=True)
class RasaVenv:
    """A ready virtualenv with Rasa installed."""

    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def rasa_command(self, *args: str) -> list[str]:
        # `python -m rasa` rather than bin/rasa: no dependence on the script's shebang.
        return [str(self.python), "-m", "rasa", *args]


def cache_dir() -> Path:
    """$VENTANILLA_CACHE_DIR, else $XDG_CACHE_HOME/ventanilla, else ~/.cache/ventanilla."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ventanilla"


def requirements_key(requirements: Path = REQUIREMENTS) -> str:
    """What names the cached virtualenv: the pinned requirements, pip's pin and the Python minor version."""
    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(f"\0pip=={PIP_VERSION}\0python{PYTHON_VERSION[0]}.{PYTHON_VERSION[1]}".encode())
    return digest.hexdigest()[:16]


def venv_path(requirements: Path = REQUIREMENTS) -> Path:
    return cache_dir() / f"rasa-venv-{requirements_key(requirements)}"


def existing_venv(requirements: Path = REQUIREMENTS) -> RasaVenv | None:
    """The cached virtualenv when a complete one exists and its interpreter still runs, else None."""
    venv = RasaVenv(venv_path(requirements))
    if not (venv.path / COMPLETE).exists():
        return None
    try:
        subprocess.run([str(venv.python), "-c", "import rasa"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None  # the interpreter it was built from went away: build it again
    return venv


def _version_of(command: list[str]) -> tuple[int, int] | str:
    """(major, minor) of a candidate interpreter, or why it cannot be used."""
    probe = "import sys, venv; print('%d.%d' % sys.version_info[:2])"
    try:
        done = subprocess.run([*command, "-c", probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run ({exc.__class__.__name__})"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"fails: {last}"
    major, _, minor = done.stdout.strip().partition(".")
    return int(major), int(minor)


def _candidates() -> Iterator[tuple[str, list[str]]]:
    """Where a Python 3.10 usually is, in the order they are tried, each with a description."""
    if os.environ.get(PYTHON_ENV):
        yield f"${PYTHON_ENV}", [os.environ[PYTHON_ENV]]
    on_path = shutil.which("python3.10")
    yield "python3.10 on PATH", [on_path] if on_path else []
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    versions = sorted(glob.glob(os.path.join(pyenv_root, "versions", "3.10.*", "bin", "python3.10")))
    yield f"pyenv ({pyenv_root}/versions/3.10.*)", [versions[-1]] if versions else []
    launcher = shutil.which("py")
    yield "the py launcher (py -3.10)", [launcher, "-3.10"] if launcher else []


def find_python() -> list[str]:
    """A command that runs Python 3.10 with the venv module; RasaSetupError listing what was tried."""
    tried = []
    for description, command in _candidates():
        if not command:
            tried.append(f"{description}: not found")
            continue
        version = _version_of(command)
        if version == PYTHON_VERSION:
            return command
        shown = f"Python {version[0]}.{version[1]}" if isinstance(version, tuple) else version
        tried.append(f"{description} ({' '.join(command)}): {shown}")
    raise RasaSetupError(
        "Rasa 3.6 needs Python 3.10 with its venv module, and none was found. Tried: "
        + "; ".join(tried)
        + f". Install one (e.g. `pyenv install 3.10.13`, or your system's python3.10 and python3.10-venv "
        f"packages) or point ${PYTHON_ENV} at a python3.10 executable."
    )


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """One builder at a time per virtualenv, across processes (CI and a developer, two test runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_venv(progress: Progress | None = None, requirements: Path = REQUIREMENTS) -> RasaVenv:
    """The cached virtualenv for these requirements, building it (minutes, GBs) when there is none."""
    say = progress or (lambda _: None)
    path = venv_path(requirements)
    ready = existing_venv(requirements)
    if ready is not None:
        say(f"rasa: using the virtualenv in {path}")
        return ready
    with locked(path.with_name(path.name + ".lock")):
        ready = existing_venv(requirements)  # another process may have built it while we waited
        if ready is not None:
            return ready
        _build(path, requirements, say)
    venv = existing_venv(requirements)
    if venv is None:
        raise RasaSetupError(f"the virtualenv in {path} was built but `import rasa` fails in it")
    return venv


def _build(path: Path, requirements: Path, say: Progress) -> None:
    started = time.monotonic()
    python = find_python()
    if path.exists():
        shutil.rmtree(path)  # an incomplete build: start clean
    say(f"rasa: building a Python 3.10 virtualenv in {path} with {' '.join(python)}")
    log = path.with_name(path.name + ".log")
    log.unlink(missing_ok=True)
    _run([*python, "-m", "venv", str(path)], log, say, "create the virtualenv")
    venv = RasaVenv(path)
    pip = [str(venv.python), "-m", "pip", "--disable-pip-version-check", "install", "--progress-bar", "off"]
    _run([*pip, f"pip=={PIP_VERSION}"], log, say, "install pip")
    total = sum(1 for line in requirements.read_text().splitlines() if "==" in line)
    say(f"rasa: installing {total} pinned packages (about 2.7 GB; a few minutes the first time)")
    _run([*pip, "-r", str(requirements)], log, say, "install Rasa's requirements", total)
    (path / COMPLETE).write_text(f"built in {time.monotonic() - started:.0f} s\n")
    say(f"rasa: virtualenv ready in {time.monotonic() - started:.0f} s (log: {log})")


def _run(command: list[str], log: Path, say: Progress, what: str, total: int = 0) -> None:
    """Run a build step, logging all its output and reporting pip's progress every few packages."""
    log.parent.mkdir(parents=True, exist_ok=True)
    collected = 0
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        # As a context manager Popen closes the pipe and waits: a pipe left open is a ResourceWarning,
        # an error in the test run that builds this virtualenv on a fresh machine.
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                out.write(line)
                if line.startswith("Collecting "):
                    collected += 1
                    if collected % PROGRESS_EVERY == 0:
                        say(f"rasa: pip collected {collected}/{total} packages")
                elif total and line.startswith("Installing collected packages"):
                    say("rasa: pip is installing the packages")
        code = child.returncode
    if code != 0:
        tail = "".join(log.read_text(encoding="utf-8", errors="replace").splitlines(True)[-15:])
        raise RasaSetupError(f"cannot {what} (exit {code}); the last lines of {log}:\n{tail}")


def main() -> int:
    """`python -m nlu.rasa.venv`: build or reuse Rasa's virtualenv and print its path (CI runs it first)."""
    try:
        venv = ensure_venv(lambda line: print(line, flush=True))
    except RasaSetupError as exc:
        print(f"rasa: {exc}", file=sys.stderr)
        return 2
    print(venv.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
