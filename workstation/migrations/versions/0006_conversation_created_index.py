"""KPIs read the conversations of a window of days: index them by when they started.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_conversation_created", "conversation", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_created", table_name="conversation")
