"""The replies engine: which template wordings went to whom, for variant rotation.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_variant_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=32), nullable=False),
        sa.Column("variant", sa.String(length=16), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reply_variant_use", schema=None) as batch_op:
        batch_op.create_index("ix_variant_use_contact", ["contact_id", "id"], unique=False)
        batch_op.create_index(
            "ix_variant_use_conversation", ["conversation_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_variant_use_template_day", ["template_id", "used_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reply_variant_use_outbox_id"), ["outbox_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("reply_variant_use")
