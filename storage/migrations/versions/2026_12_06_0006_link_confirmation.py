"""Link codes the owner confirms, and every attempt to use one.

Why: a 6-digit code looked up by the code alone could be guessed (about one chance in thirteen per active
code per quarter hour from fresh web chat ids), and a hit joined the attacker's chat to the victim's
conversation at once. A code is now 8 characters of the case-code alphabet and only claims the join: the
channel that asked for it (`channel`, `address`) is asked to confirm, and the claiming identity is kept
(`claimed_*`) until it does. `link_attempts` records each use, failed or not, so that guesses are limited
per identity and overall, and counted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("claimed_channel", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("claimed_address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "link_attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempts")),
    )
    with op.batch_alter_table("link_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_link_attempts_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_link_attempts_identity", ["channel", "address", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_link_attempts_identity")
        batch_op.drop_index("ix_link_attempts_created_at")
    op.drop_table("link_attempts")
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_address")
        batch_op.drop_column("claimed_channel")
        batch_op.drop_column("address")
        batch_op.drop_column("channel")
