"""Phone calls and visits recorded by agents (issue 18): an index on cases.channel.

Why: a call or a visit staff record is a message like any other (channel "phone" or "in_person",
direction "in", author "staff", `staff_id` who recorded it, `created_at` when it happened), so the citizen's
timeline, data export, retention and erasure need no new table or column; a case filed during one carries
that channel. The dashboard now counts every case by channel (GROUP BY cases.channel), which this index
serves. Existing rows need nothing.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_channel", "cases", ["channel"])


def downgrade() -> None:
    op.drop_index("ix_cases_channel", table_name="cases")
