"""The staff escalation inbox: an aiohttp sub-app mounted at /inbox/."""

from inbox.app import inbox_app

__all__ = ["inbox_app"]
