"""What a case may publish: the citizen's consent, staff's decision, and API keys that may read more.

Why: `GET /open311/v2/requests` needs no key and returned chat-filed cases with the citizen's own words
and the exact pin of their shared location, and the whole history could be paged in 90-day windows
(issue 12, finding 2). A description is now public only when the citizen said yes to publishing it
(`cases.publish_consent`, asked once when the report is filed; NULL when not asked or not answered) or
staff decided so (`cases.description_public`, NULL: the citizen's answer stands). The exact place and the
full words go only to the city's own systems, through a key whose `scope` is "private"; every key made
before this one files requests and reads what the public reads ("file").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publish_consent", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("description_public", sa.Boolean(), nullable=True))
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=20), server_default="file", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("scope")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("description_public")
        batch_op.drop_column("publish_consent")
