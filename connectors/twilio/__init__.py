"""SMS and WhatsApp through Twilio: signed webhooks in, the REST API out (see docs/twilio.md)."""
