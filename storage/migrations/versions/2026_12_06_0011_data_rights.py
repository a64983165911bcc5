"""Data rights (issue 15): the privacy notice each citizen was shown, requests to see, export, correct or
erase with their legal deadlines, one-time export links, the suppression list of erased numbers, holds on
erasure, and the once-a-day job claim that retention runs under.

Why: citizens may see, take away and erase what the city holds about them, from the chat, and the city
must prove when it answered. `privacy_notices` is unique per citizen and version so a notice is recorded
once; `data_exports` keeps only the token's SHA-256; `suppressed_addresses` holds one-way hashes, never a
number; `outbox.forget_after_send` lets the last reply to an erased citizen leave before its address goes.
Existing rows need nothing: no citizen has been erased or held, no outbox row forgets.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("citizens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("erasure_hold", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("erasure_hold_by", BigId, nullable=True))
        batch_op.add_column(sa.Column("erasure_hold_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_citizens_erasure_hold_by_staff_users", "staff_users", ["erasure_hold_by"], ["id"]
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forget_after_send", sa.Boolean(), server_default="0", nullable=False))

    op.create_table(
        "privacy_notices",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("shown_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("citizen_id", "version"),
    )
    op.create_index("ix_privacy_notices_citizen_id", "privacy_notices", ["citizen_id"])

    op.create_table(
        "data_requests",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("staff_id", BigId, sa.ForeignKey("staff_users.id"), nullable=True),
    )
    op.create_index("ix_data_requests_citizen_id", "data_requests", ["citizen_id"])
    op.create_index("ix_data_requests_status_due", "data_requests", ["status", "due_on"])

    op.create_table(
        "data_exports",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("request_id", BigId, sa.ForeignKey("data_requests.id", ondelete="SET NULL"), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_data_exports_citizen_id", "data_exports", ["citizen_id"])

    op.create_table(
        "suppressed_addresses",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_table("suppressed_addresses")
    op.drop_table("data_exports")
    op.drop_table("data_requests")
    op.drop_table("privacy_notices")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("forget_after_send")
    with op.batch_alter_table("citizens", schema=None) as batch_op:
        batch_op.drop_constraint("fk_citizens_erasure_hold_by_staff_users", type_="foreignkey")
        batch_op.drop_column("erasure_hold_at")
        batch_op.drop_column("erasure_hold_by")
        batch_op.drop_column("erasure_hold")
        batch_op.drop_column("erased_at")
