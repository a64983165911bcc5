"""The city's web chat: Rasa's REST channel shape at /webhooks/rest/webhook and the chat page at /."""
