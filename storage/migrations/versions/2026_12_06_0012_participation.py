"""Participation (issue 16): the topics citizens opt into, surveys and their answers, alerts, and where each
copy sent to a citizen stands.

Why: the city asks citizens' opinion (binding or advisory surveys) and warns them (water cuts, road
closures), but only those who asked for it, once each, at a pace and hour that respects them. A survey's
answers are unique per citizen and question, so answering from two linked channels counts once; an erased
citizen's answers stay counted (citizen_id SET NULL). Existing rows need nothing: nobody has opted in yet.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="CASCADE"), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("area", sa.String(40), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("shown", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("citizen_id", "topic"),
    )
    op.create_index("ix_subscriptions_citizen_id", "subscriptions", ["citizen_id"])
    op.create_index("ix_subscriptions_topic_status", "subscriptions", ["topic", "status"])

    op.create_table(
        "surveys",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("slug", sa.String(60), nullable=False, unique=True),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("intro", sa.JSON(), nullable=True),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("area", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("template_sid", sa.String(34), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )

    op.create_table(
        "broadcasts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("survey_id", BigId, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=True),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("area", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("text", sa.JSON(), nullable=True),
        sa.Column("template_sid", sa.String(34), nullable=True),
        sa.Column("staff_id", BigId, sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_broadcasts_survey_id", "broadcasts", ["survey_id"])

    op.create_table(
        "deliveries",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("broadcast_id", BigId, sa.ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("broadcast_id", "citizen_id"),
    )
    op.create_index("ix_deliveries_broadcast_id", "deliveries", ["broadcast_id"])
    op.create_index("ix_deliveries_citizen_id", "deliveries", ["citizen_id"])
    op.create_index("ix_deliveries_message_id", "deliveries", ["message_id"])
    op.create_index("ix_deliveries_status_id", "deliveries", ["status", "id"])

    op.create_table(
        "survey_answers",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("survey_id", BigId, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("citizen_id", BigId, sa.ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True),
        sa.Column("question", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("survey_id", "citizen_id", "question"),
    )
    op.create_index("ix_survey_answers_survey_id", "survey_answers", ["survey_id"])
    op.create_index("ix_survey_answers_citizen_id", "survey_answers", ["citizen_id"])


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_table("deliveries")
    op.drop_table("broadcasts")
    op.drop_table("surveys")
    op.drop_table("subscriptions")
