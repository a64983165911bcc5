"""Web chat senders bound to a secret the server issued, and the photos uploaded from the web chat.

Why: the web chat's sender id was the only credential, so whoever knew it read every staff reply and
wrote as that citizen (issue 12, finding 6). `webchat_keys` binds each sender id to the SHA-256 of a
128-bit secret the server issues in an HttpOnly cookie (or as a token). And anyone could fill the disk
through `/webchat/upload` (finding 4): `uploads` records who uploaded each file and its size, for the
per-sender and overall quotas, and whether a message took it up, so that files nobody sent are removed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webchat_keys",
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sender", name=op.f("pk_webchat_keys")),
    )
    with op.batch_alter_table("webchat_keys", schema=None) as batch_op:
        batch_op.create_index("ix_webchat_keys_key_hash", ["key_hash"], unique=False)
        batch_op.create_index("ix_webchat_keys_created_at", ["created_at"], unique=False)
    op.create_table(
        "uploads",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("name", name=op.f("uq_uploads_name")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index("ix_uploads_key_created", ["key_hash", "created_at"], unique=False)
        batch_op.create_index("ix_uploads_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index("ix_uploads_created_at")
        batch_op.drop_index("ix_uploads_key_created")
    op.drop_table("uploads")
    with op.batch_alter_table("webchat_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_webchat_keys_created_at")
        batch_op.drop_index("ix_webchat_keys_key_hash")
    op.drop_table("webchat_keys")
