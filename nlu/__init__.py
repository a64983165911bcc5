"""Intent classification: text in, `Parse` out; knows nothing of channels or storage."""
