"""A whole database as text, the way an administrator would dump it: SQLite's `.dump` and `pg_dump`."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.support.pg_cluster import find_bin_dir


def _pg_dump() -> str:
    bin_dir = find_bin_dir()
    found = bin_dir / "pg_dump" if bin_dir is not None else None
    if found is not None and found.exists():
        return str(found)
    on_path = shutil.which("pg_dump")
    if on_path is None:
        raise RuntimeError("pg_dump is not installed")
    return on_path


async def dump(database_url: str) -> str:
    """Every row of every table, as SQL text."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        with sqlite3.connect(Path(url.database)) as connection:
            return "\n".join(connection.iterdump())
    command = [_pg_dump(), "--data-only", "--no-owner", "-h", url.host or "127.0.0.1",
               "-p", str(url.port or 5432), "-U", url.username or "postgres", url.database or ""]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()
