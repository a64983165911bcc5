"""The departments a staff account is limited to.

Why: every account saw every department's cases and conversations, so an agent of one department read
the complaints, addresses and photos another department handles (issue 12, finding 10). `departments`
lists the department codes (config.yml) whose cases and conversations the account sees; NULL (or an
empty list) means every department, which is what every account saw before, so nothing changes until an
administrator sets it. A JSON list, not a link table: departments live in config.yml, not in the database.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("departments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("departments")
