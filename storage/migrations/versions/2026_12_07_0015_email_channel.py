"""The e-mail channel (issue 18): the Message-IDs of mail in and out, so a reply is threaded.

Why: the city's public address is now a channel. A citizen's mail client threads our reply under their
mail only if it carries In-Reply-To and References naming their Message-ID, and the subject "Re: …"; our
own Message-IDs are kept too, so their answer to ours is recognised. One row per mail, against the citizen
(CASCADE: an erasure takes them) and the history row (SET NULL). Existing rows need nothing: no mail has
been read yet.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "email_headers",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("header_id", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("earlier_ids", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_email_headers_citizen_id", "email_headers", ["citizen_id"])
    op.create_index("ix_email_headers_message_id", "email_headers", ["message_id"])
    op.create_index("ix_email_headers_header_id", "email_headers", ["header_id"])
    op.create_index("ix_email_headers_address_created", "email_headers", ["address", "created_at"])


def downgrade() -> None:
    op.drop_table("email_headers")
