"""Telegram (python-telegram-bot 22): the webhook at /webhooks/telegram, its parser, sender and commands."""
