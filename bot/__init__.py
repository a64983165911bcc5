"""The conversation core of Ventanilla: pipeline, dialogue, actions, cases, texts, app and CLI."""
