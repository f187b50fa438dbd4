"""KPIs and reports: campaign results (imported from CSV) and reputation alerts.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign", sa.String(128), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False, server_default=""),
        sa.Column("kind", sa.String(16), nullable=False, server_default="paid"),
        sa.Column("creator", sa.String(128), nullable=False, server_default=""),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("spend", sa.Float(), nullable=False, server_default="0"),
        sa.Column("creator_fees", sa.Float(), nullable=False, server_default="0"),
        sa.Column("impressions", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("reach", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("likes", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("comments", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("shares", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("revenue", sa.Float(), nullable=False, server_default="0"),
        sa.Column("customers", sa.Integer(), nullable=True),
        sa.Column("promo_code", sa.String(64), nullable=False, server_default=""),
        sa.Column("redemptions", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("source", sa.Text(), nullable=False, server_default=""),
        sa.Column("line_no", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("campaign", "platform", "period_start", "period_end",
                            name="uq_campaign_period"),
    )
    op.create_index("ix_campaign_result_period", "campaign_result", ["period_start"])
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("scope", sa.String(64), nullable=False, server_default=""),
        sa.Column("severity", sa.String(16), nullable=False, server_default="warning"),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("conversation_ids", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("webhook_state", sa.String(16), nullable=False, server_default=""),
        sa.Column("webhook_attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_alert_raised", "alert", ["raised_at"])
    op.create_index("ix_alert_kind_scope", "alert", ["kind", "scope", "raised_at"])


def downgrade() -> None:
    op.drop_index("ix_alert_kind_scope", table_name="alert")
    op.drop_index("ix_alert_raised", table_name="alert")
    op.drop_table("alert")
    op.drop_index("ix_campaign_result_period", table_name="campaign_result")
    op.drop_table("campaign_result")
