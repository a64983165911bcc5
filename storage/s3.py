"""The media store in an S3-compatible bucket (AWS S3, MinIO, Ceph) through aiobotocore, for many machines.

aiobotocore rather than aioboto3: it is the asynchronous botocore the other one wraps, and four calls
(put, get, head, delete) need none of boto3's resource layer. One client per process, opened at start-up
and closed at shutdown; its connection pool is shared by every request.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from bot.settings_runtime import S3, Secrets
from storage.media import MediaUnavailable, Stored, checked, content_type_of

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

log = logging.getLogger(__name__)
MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


class S3Store:
    """Objects `<prefix><name>` in one bucket; the bytes' type is stored with them for anyone reading
    the bucket directly, and read back from them."""

    def __init__(self, client: S3Client, stack: contextlib.AsyncExitStack, settings: S3) -> None:
        self.client, self._stack = client, stack
        self.bucket, self.prefix = settings.bucket, settings.prefix

    @classmethod
    async def open(cls, settings: S3, secrets: Secrets) -> S3Store:
        """A client for the bucket. Keys from VENTANILLA_S3_* when set, else botocore's own chain."""
        keys: dict[str, Any] = {}
        if secrets.s3_access_key_id and secrets.s3_secret_access_key:
            keys = {
                "aws_access_key_id": secrets.s3_access_key_id,
                "aws_secret_access_key": secrets.s3_secret_access_key,
            }
        config = AioConfig(
            s3={"addressing_style": settings.addressing_style},
            connect_timeout=min(settings.timeout_seconds, 5),
            read_timeout=settings.timeout_seconds,
            retries={"max_attempts": 3, "mode": "standard"},
        )
        stack = contextlib.AsyncExitStack()
        client = await stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=settings.endpoint_url,
                region_name=settings.region,
                config=config,
                **keys,
            )
        )
        return cls(client, stack, settings)

    def _key(self, name: str) -> str:
        return self.prefix + checked(name)

    async def put(self, name: str, data: bytes, content_type: str) -> None:
        with _unavailable("put", name):
            await self.client.put_object(
                Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type_of(name)
            )

    async def get(self, name: str) -> Stored | None:
        with _unavailable("get", name):
            try:
                found = await self.client.get_object(Bucket=self.bucket, Key=self._key(name))
            except ClientError as exc:
                if _missing(exc):
                    return None
                raise
            async with found["Body"] as body:
                data = await body.read()
        return Stored(data, found.get("ContentType") or content_type_of(name))

    async def exists(self, name: str) -> bool:
        with _unavailable("head", name):
            try:
                await self.client.head_object(Bucket=self.bucket, Key=self._key(name))
            except ClientError as exc:
                if _missing(exc):
                    return False
                raise
        return True

    async def delete(self, name: str) -> None:
        """Deleting what is not there is not an error (S3 says so too)."""
        with _unavailable("delete", name):
            await self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    async def close(self) -> None:
        await self._stack.aclose()


@contextlib.contextmanager
def _unavailable(operation: str, name: str) -> Iterator[None]:
    """botocore's errors (a network failure, a refusal, a throttle) as the store's one kind of error."""
    try:
        yield
    except (BotoCoreError, ClientError, aiohttp.ClientError, TimeoutError) as exc:
        raise MediaUnavailable(f"s3 {operation} {name}: {exc}") from exc


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code", "")) in MISSING
