"""Inbox routes, one module per area."""
