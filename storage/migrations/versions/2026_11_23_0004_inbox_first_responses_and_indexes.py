"""Staff inbox: first-response times, each agent's language, indexes for the case list and statistics.

Why: supervisors need the median time from a citizen asking for a person to a person's first answer
(kept per wait in `first_responses`; `conversations.first_response_at` stops the SLA clock of the wait
in progress); agents pick the inbox's language; the case list pages by date and the dashboard reads
status changes by kind and date, which without indexes would scan whole tables.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "first_responses",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("citizen_id", BIG_ID, nullable=False),
        sa.Column("department", sa.String(length=40), nullable=True),
        sa.Column("staff_id", BIG_ID, nullable=True),
        sa.Column("waiting_since", sa.DateTime(), nullable=False),
        sa.Column("responded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizens.id"],
            name=op.f("fk_first_responses_citizen_id_citizens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], name=op.f("fk_first_responses_staff_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_responses")),
    )
    with op.batch_alter_table("first_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_first_responses_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_first_responses_responded_at"), ["responded_at"], unique=False)

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_response_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_created", ["created_at"], unique=False)

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_kind_created", ["kind", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_kind_created")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_created")

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("language")

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("first_response_at")

    with op.batch_alter_table("first_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_first_responses_responded_at"))
        batch_op.drop_index(batch_op.f("ix_first_responses_citizen_id"))

    op.drop_table("first_responses")
