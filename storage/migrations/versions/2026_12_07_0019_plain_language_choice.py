"""A citizen's choice of plain or usual replies, apart from their preferential attention.

Why: preferential citizens get plain replies by default, and `citizens.plain_language` could only say "asked
for plain". A preferential citizen who then wrote "modo normal" kept the plain replies. The column now holds
the citizen's own choice: NULL (not chosen: plain when preferential), true ("más simple"), false ("modo
normal"). A stored false meant "not chosen", so it becomes NULL. The downgrade cannot keep a preferential
citizen's "modo normal": false means "not chosen" again, and they get plain replies as before 0019.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.alter_column(
            "plain_language", existing_type=sa.Boolean(), nullable=True, server_default=None
        )
    op.execute(
        sa.text("UPDATE citizens SET plain_language = NULL WHERE plain_language = :no").bindparams(no=False)
    )


def downgrade() -> None:
    op.execute(
        sa.text("UPDATE citizens SET plain_language = :no WHERE plain_language IS NULL").bindparams(no=False)
    )
    with op.batch_alter_table("citizens") as batch_op:
        batch_op.alter_column(
            "plain_language", existing_type=sa.Boolean(), nullable=False, server_default="0"
        )
