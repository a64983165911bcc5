"""Free space where the service writes: uploads are refused, and /healthz warns, before the disk is full."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from bot.settings_runtime import Media

log = logging.getLogger(__name__)


def free_mb(directory: Path) -> int:
    """Megabytes free on the file system holding `directory` (or its nearest existing parent)."""
    path = directory
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free // (1024 * 1024)


def media_free_mb(media: Media) -> int | None:
    """The megabytes left when the media folder's disk is below `media.min_free_mb`, else None.

    A bucket has no disk of ours to fill, so the check applies to the folder back-end only."""
    if media.backend != "folder":
        return None
    free = free_mb(media.dir)
    if free >= media.min_free_mb:
        return None
    log.warning("less than %d MB free under %s (%d MB)", media.min_free_mb, media.dir, free)
    return free
