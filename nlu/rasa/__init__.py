"""The Rasa backend: HTTP client, fallback, project writer, virtualenv, trainer and server runner."""
