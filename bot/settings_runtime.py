"""How this installation runs: where it listens, its database, media store, NLU, dialogue limits, the web
chat's upkeep, Twilio, and the secrets that come from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from bot.settings_base import SettingsError, Strict


class Server(Strict):
    # This machine only, unless told otherwise: a laptop's `make run` is not offered to its network.
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str = "http://localhost:8080"
    max_body_bytes: int = Field(65536, ge=1024)
    max_upload_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    # Who may read /metrics: the machine itself (a Prometheus beside the service), or anyone. A bearer
    # token (VENTANILLA_METRICS_TOKEN) opens it from anywhere; behind a proxy every peer looks local,
    # so set one there.
    metrics_from: Literal["loopback", "anywhere"] = "loopback"


class Database(Strict):
    url: str = "sqlite+aiosqlite:///var/ventanilla.db"
    echo: bool = False


class S3(Strict):
    """An S3-compatible bucket for media (AWS S3, MinIO, Ceph); its keys come from the environment."""

    bucket: str = Field("", pattern=r"^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$")
    # None is AWS itself; MinIO, Ceph or a local test server give their URL.
    endpoint_url: str | None = Field(None, pattern=r"^https?://")
    region: str = "us-east-1"
    # Keys are `prefix + name`: one bucket can hold several cities or environments.
    prefix: str = Field("", pattern=r"^([A-Za-z0-9._-]+/)*$")
    # path: https://host/bucket/key, which MinIO, Ceph and most others expect; virtual: bucket.host/key.
    addressing_style: Literal["path", "virtual"] = "path"
    timeout_seconds: float = Field(10.0, gt=0, le=120)


class Media(Strict):
    """Where photos are kept, and how much the web chat may upload (docs/security.md, finding 4)."""

    # folder: `dir` on this machine (one machine); s3: the bucket below, which every machine shares.
    backend: Literal["folder", "s3"] = "folder"
    dir: Path = Path("var/media")
    s3: S3 = S3()
    # Per web chat secret (one browser), in an hour: so one client cannot fill the disk.
    uploads_per_hour: int = Field(20, ge=1)
    upload_mb_per_hour: int = Field(60, ge=1)
    # Everybody together, in an hour: a ceiling against many clients at once.
    total_upload_mb_per_hour: int = Field(2048, ge=1)
    # A photo uploaded but never sent with a message is removed after this many hours.
    keep_unused_hours: int = Field(24, ge=1)
    # Below this much free space uploads are refused and /healthz reports the disk as nearly full.
    min_free_mb: int = Field(500, ge=0)
    # Pictures with more pixels than this are refused before they are decoded (decompression bombs).
    max_pixels: int = Field(50_000_000, ge=1_000_000)

    def model_post_init(self, context: Any, /) -> None:
        if self.backend == "s3" and not self.s3.bucket:
            raise SettingsError("media.s3.bucket is required when media.backend is s3")


class Webchat(Strict):
    """The web chat's own upkeep (docs/security.md, finding 5)."""

    # A web chat citizen who wrote one message and nothing since (no case, nobody attending) is removed
    # after this many hours: what a client inventing a sender id per message leaves behind.
    forget_one_message_chats_after_hours: int = Field(72, ge=1)


class Nlu(Strict):
    backend: Literal["builtin", "rasa"] = "builtin"
    model_dir: Path = Path("var/nlu")
    confidence_threshold: float = Field(0.45, ge=0.0, le=1.0)
    rasa_url: str = "http://127.0.0.1:5005"
    # One request to Rasa, whole; past it the built-in classifier answers (a citizen should not wait).
    rasa_timeout_seconds: float = Field(1.5, gt=0, le=60)
    # After Rasa fails, it is skipped this long before one message tries it again.
    rasa_cooldown_seconds: float = Field(10.0, ge=0, le=3600)
    # Rasa projects, models and logs; None: `rasa/` beside model_dir (var/rasa).
    rasa_dir: Path | None = None


class Dialogue(Strict):
    max_misunderstandings: int = Field(2, ge=1)
    # Preferential citizens and those who asked for "más simple" get a person offered sooner (issue 19).
    max_misunderstandings_plain: int = Field(1, ge=1)
    # The bot offers preferential attention, once a conversation, when a citizen's words suggest it.
    offer_preferential: bool = True
    max_text_chars: int = Field(4000, ge=100)
    # Above this many messages from one citizen in a minute the bot only records them (abuse, loops).
    max_messages_per_minute: int = Field(20, ge=1)
    rate_conversations: bool = True  # "rate us 1–5" after a person: the general queue; departments' default


class Twilio(Strict):
    """SMS and WhatsApp settings that are not credentials (those are in `Secrets`, from the environment)."""

    # A WhatsApp Content template (HX + 32 hex digits) for replies outside the 24-hour window; its {{1}}
    # gets the reply. None: such a reply goes by SMS, or fails (docs/twilio.md).
    whatsapp_template_sid: str | None = Field(None, pattern=r"^HX[0-9a-fA-F]{32}$")
    # The approved "was it fixed?" template: {{1}} code, {{2}} service, {{3}} place (docs/twilio.md).
    followup_template_sid: str | None = Field(None, pattern=r"^HX[0-9a-fA-F]{32}$")
    timeout_seconds: float = Field(10.0, gt=0, le=120)  # for each request to Twilio's REST API
    # For copying a message's media from Twilio into our store, all files together, while Twilio waits
    # for the webhook's answer (15 s at most): the rest of the turn must fit in what is left.
    media_seconds: float = Field(8.0, gt=0, le=14)


class Secrets(Strict):
    """Credentials that only ever come from the environment; a channel without them is off."""

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_sms_from: str | None = None
    twilio_whatsapp_from: str | None = None
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    metrics_token: str | None = None
    # The media bucket's keys; without them the AWS chain is used (AWS_ACCESS_KEY_ID, a profile, a role).
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    # The city's mailbox (issue 18): the e-mail channel is on only with both and `email.address`.
    imap_password: str | None = None
    smtp_password: str | None = None
