"""Preferential attention given with consent, and plain language (issue 19).

Why: the bot now offers preferential attention when a citizen's words suggest it, and records it only after
their yes: which kind, their words, when and on which channel. Staff setting it by hand leave the same
record (their reason, channel "inbox"), and a withdrawal is one too, so a supervisor can review a doubtful
case. One row per grant or withdrawal, against the citizen (CASCADE: an erasure takes them). Citizens who
were preferential before this get one "granted" record with the reason staff wrote, dated now.
`citizens.plain_language` keeps a citizen's "más simple" (short sentences, a person offered sooner) from one
conversation to the next; everyone starts without it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "preferential_records",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(40), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("staff_id", BigId, sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_preferential_records_citizen_id", "preferential_records", ["citizen_id"])
    op.create_index("ix_preferential_records_created_at", "preferential_records", ["created_at"])
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.add_column(sa.Column("plain_language", sa.Boolean(), server_default="0", nullable=False))
    op.execute(
        "INSERT INTO preferential_records (citizen_id, action, kind, words, channel, created_at) "
        "SELECT id, 'granted', preferential, preferential_reason, 'inbox', CURRENT_TIMESTAMP "
        "FROM citizens WHERE preferential IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.drop_column("plain_language")
    op.drop_table("preferential_records")
