"""Outbox: an index of each citizen's unsent replies, so workers claim a citizen's replies in order.

Why: with several workers, two of them could each claim one of a citizen's replies and send them side
by side, so the second could arrive first. The outbox now claims only a citizen's first unsent reply
(and the run behind it), which it finds through this partial index: as small as the queue, however
many sent rows pile up.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSENT = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_unsent_address",
            ["channel", "address", "id"],
            unique=False,
            postgresql_where=UNSENT,
            sqlite_where=UNSENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unsent_address")
