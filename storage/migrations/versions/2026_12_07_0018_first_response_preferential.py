"""A first response remembers whether its citizen had preferential attention (issue 19).

Why: a preferential citizen's first answer is judged against the department's shorter target. Read from the
citizen at counting time, a later withdrawal (or an erasure, which moves the row to a placeholder) would
judge it against the usual target instead, and the dashboard's past figures would change. Existing rows
take the citizen's attention as it is now, the best there is to know.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("first_responses") as batch_op:
        batch_op.add_column(sa.Column("preferential", sa.Boolean(), server_default="0", nullable=False))
    op.execute(
        "UPDATE first_responses SET preferential = TRUE WHERE citizen_id IN "
        "(SELECT id FROM citizens WHERE preferential IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("first_responses") as batch_op:
        batch_op.drop_column("preferential")
