"""Voice notes transcribed on this machine (issue 18): the queue of notes to hear, and which message a
transcript came from.

Why: a voice note is answered off the request path (transcription takes seconds of CPU): its turn queues a
`voice_notes` row in the same transaction that records the message, so an acknowledged note is never lost,
and a worker claims it (many workers: FOR UPDATE SKIP LOCKED), hears it and hands the transcript to the
pipeline as a new message whose `transcribed_from` is the note's id. The row keeps the transcript only
until that message exists (then it lives, and is retained and erased, as message text). No foreign key on
`transcribed_from`: a plain ALTER TABLE on SQLite's big `messages` table, and both rows are the same
citizen's, deleted together. Existing rows need nothing: no note has been transcribed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "voice_notes",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "message_id", BigId, sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=False, unique=True
        ),
        sa.Column("recipient", sa.String(200), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("language", sa.String(5), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_voice_notes_status_next", "voice_notes", ["status", "next_attempt_at"])
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("transcribed_from", BigId, nullable=True))
        batch.create_index("ix_messages_transcribed_from", ["transcribed_from"])


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_transcribed_from")
        batch.drop_column("transcribed_from")
    op.drop_table("voice_notes")
