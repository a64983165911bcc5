"""Channel connectors: each turns its provider's payloads into `InboundMessage`s and sends replies."""
