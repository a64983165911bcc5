"""Closing the loop (issue 14): follow-ups after a case is closed, supporters of a case, ratings of a
conversation a person answered, and what a reopening needs on the case.

Why: nobody asked the citizen whether a resolved case was fixed, neighbours who saw the same problem filed
cases that never learnt of each other, and satisfaction was measured nowhere. `followups.closing_event_id`
is unique so a duplicated close event schedules one follow-up; `case_supporters` is unique per case and
citizen so joining twice counts once. Existing cases get `reopened_count` 0 and no `sla_started_at` (their
targets still count from `created_at`), so nothing changes for them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopened_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("duplicate_of_id", BigId, nullable=True))
        batch_op.create_foreign_key(
            "fk_cases_duplicate_of", "cases", ["duplicate_of_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "followups",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column(
            "closing_event_id", BigId, sa.ForeignKey("case_events.id", ondelete="CASCADE"), nullable=False,
            unique=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("answer_until", sa.DateTime(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
        sa.Column("case_updated_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(8), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("moved_case", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )  # fmt: skip
    op.create_index("ix_followups_case_id", "followups", ["case_id"])
    op.create_index("ix_followups_citizen_id", "followups", ["citizen_id"])
    op.create_index("ix_followups_status_due", "followups", ["status", "due_at"])

    op.create_table(
        "case_supporters",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("case_id", "citizen_id"),
    )
    op.create_index("ix_case_supporters_case_id", "case_supporters", ["case_id"])
    op.create_index("ix_case_supporters_citizen_id", "case_supporters", ["citizen_id"])

    op.create_table(
        "conversation_ratings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "conversation_id", BigId, sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column("staff_id", BigId, sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("department", sa.String(40), nullable=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_conversation_ratings_conversation_id", "conversation_ratings", ["conversation_id"])
    op.create_index("ix_conversation_ratings_staff_id", "conversation_ratings", ["staff_id"])
    op.create_index("ix_conversation_ratings_department", "conversation_ratings", ["department"])


def downgrade() -> None:
    op.drop_table("conversation_ratings")
    op.drop_table("case_supporters")
    op.drop_table("followups")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cases_duplicate_of", type_="foreignkey")
        batch_op.drop_column("duplicate_of_id")
        batch_op.drop_column("reopened_count")
        batch_op.drop_column("sla_started_at")
