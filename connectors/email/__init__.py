"""The city's public e-mail address as a channel (issue 18): mail read over IMAP, replies sent over SMTP."""
