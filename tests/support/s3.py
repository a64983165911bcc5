"""A local S3-compatible server (moto's, in a thread) on 127.0.0.1, and a fresh bucket for each test.

The bucket back-end is tested against a real server speaking S3 over HTTP, so aiobotocore runs exactly
as it does against AWS, MinIO or Ceph: signing, path-style addressing, errors; nothing of it is mocked.
"""

from __future__ import annotations

import logging
import secrets
import urllib.request
from dataclasses import dataclass, field

from moto.server import ThreadedMotoServer

from tests.support.pg_cluster import free_port

ACCESS_KEY_ID = "ventanilla-test-key"
SECRET_ACCESS_KEY = "ventanilla-test-secret"  # moto takes any; ours still travel signed, as in production


@dataclass
class LocalS3:
    """`with LocalS3() as s3:` then `s3.new_bucket()`; `s3.url` is the endpoint."""

    url: str = ""
    _server: ThreadedMotoServer | None = field(default=None, repr=False)

    def __enter__(self) -> LocalS3:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
        port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.stop()

    def new_bucket(self) -> str:
        """An empty bucket of its own (moto creates it on a bare PUT, as S3 does for its owner)."""
        name = f"ventanilla-test-{secrets.token_hex(6)}"
        request = urllib.request.Request(f"{self.url}/{name}", method="PUT")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        return name

    def settings_overrides(self, bucket: str) -> dict[str, str]:
        """Dotted settings keys (as `load_settings(**overrides)` takes) for the bucket back-end."""
        return {
            "media.backend": "s3",
            "media.s3.bucket": bucket,
            "media.s3.endpoint_url": self.url,
            "media.s3.prefix": "media/",
            "secrets.s3_access_key_id": ACCESS_KEY_ID,
            "secrets.s3_secret_access_key": SECRET_ACCESS_KEY,
        }

    def environment(self, bucket: str) -> dict[str, str]:
        """The same, as the environment variables docs/operations.md tells a city to set."""
        return {
            "VENTANILLA_MEDIA_BACKEND": "s3",
            "VENTANILLA_S3_BUCKET": bucket,
            "VENTANILLA_S3_ENDPOINT_URL": self.url,
            "VENTANILLA_S3_PREFIX": "media/",
            "VENTANILLA_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "VENTANILLA_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }
