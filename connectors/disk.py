"""Free space where the service writes: uploads are refused, and /healthz warns, before the disk is full."""

from __future__ import annotations

import shutil
from pathlib import Path


def free_mb(directory: Path) -> int:
    """Megabytes free on the file system holding `directory` (or its nearest existing parent)."""
    path = directory
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free // (1024 * 1024)
