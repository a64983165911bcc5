"""The city's web chat: Rasa's REST channel shape at /webhooks/rest/webhook and the chat page at /."""

from connectors.rest.routes import add_routes

__all__ = ["add_routes"]
