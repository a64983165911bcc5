"""The knowledge base (issue 17): the questions citizens asked it, and due-date reminders.

Why: the bot now answers the city's common questions from `knowledge/`. Each question it answered, offered
choices for, or could not answer is kept (masked) with whether the citizen found the answer useful, so
supervisors see what to write next; `keep_questions_days` bounds it, and an erasure blanks the words but
keeps the counts (citizen_id and message_id SET NULL). A reminder of a topic's date is a broadcast like an
alert; `broadcasts.occasion` names the topic and date it is for, unique, so two workers never queue the
same reminder twice. Existing rows need nothing: no question has been asked yet, and no broadcast was a
reminder.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "knowledge_asks",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("folded", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("topic", sa.String(30), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_knowledge_asks_citizen_id", "knowledge_asks", ["citizen_id"])
    op.create_index("ix_knowledge_asks_message_id", "knowledge_asks", ["message_id"])
    op.create_index("ix_knowledge_asks_created_at", "knowledge_asks", ["created_at"])
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(sa.Column("occasion", sa.String(60), nullable=True))
        batch.create_unique_constraint("uq_broadcasts_occasion", ["occasion"])


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_constraint("uq_broadcasts_occasion", type_="unique")
        batch.drop_column("occasion")
    op.drop_table("knowledge_asks")
