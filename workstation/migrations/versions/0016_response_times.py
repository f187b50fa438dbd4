"""Response times stored when a reply is recorded, and indexes that cover the KPI scans.

Adds `conversation.first_message_at` and `message.response_seconds` (see
`workstation.response_times`) and works them out for the threads already stored. Reports and
the KPI panel then read the conversations of a period through one covering index and the
replies that answered through a partial one, instead of re-reading and ordering every message.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversation", sa.Column("first_message_at", sa.DateTime(timezone=True),
                                            nullable=True))
    op.add_column("message", sa.Column("response_seconds", sa.Float(), nullable=True))
    # The definitions live with the code that records them as replies are written.
    from workstation.response_times import refresh_all

    refresh_all(op.get_bind())
    op.create_index("ix_conversation_kpi", "conversation", [
        "created_at", "platform", "sla_policy", "moderation", "escalated", "csat", "sentiment",
        "first_message_at", "first_response_at", "first_response_due", "resolved_at",
        "exchange_count",
    ])
    op.drop_index("ix_conversation_created", table_name="conversation")  # its first column
    op.create_index("ix_message_response", "message",
                    ["conversation_id", "created_at", "response_seconds"],
                    sqlite_where=sa.text("response_seconds IS NOT NULL"),
                    postgresql_where=sa.text("response_seconds IS NOT NULL"))
    op.create_index("ix_lead_created_at", "lead", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_lead_created_at", table_name="lead")
    op.drop_index("ix_message_response", table_name="message")
    op.create_index("ix_conversation_created", "conversation", ["created_at"])
    op.drop_index("ix_conversation_kpi", table_name="conversation")
    with op.batch_alter_table("message") as batch_op:
        batch_op.drop_column("response_seconds")
    with op.batch_alter_table("conversation") as batch_op:
        batch_op.drop_column("first_message_at")
