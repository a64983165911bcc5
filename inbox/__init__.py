"""The staff escalation inbox: an aiohttp sub-app mounted at /inbox/."""
