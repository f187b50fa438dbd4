"""UGC rights: where the content came from, the consented usage window, the creator's credit.

Adds to `ugc_rights_request` the origin (platform, kind, message or post id, public address,
the media shared), the creator and how to credit them, the usage window and the date a
consent was withdrawn. Rows asked for before this keep empty values: nothing was recorded.

Revision ID: 0015
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

_TEXTS = ("platform", "origin_kind", "origin_id", "origin_url", "creator", "credit")


def upgrade() -> None:
    with op.batch_alter_table("ugc_rights_request") as batch_op:
        for name in _TEXTS:
            batch_op.add_column(sa.Column(name, sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("media", sa.JSON(), nullable=False,
                                      server_default="[]"))
        for name in ("usage_from", "usage_until", "revoked_at"):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_ugc_state", ["state", "requested_at"])


def downgrade() -> None:
    with op.batch_alter_table("ugc_rights_request") as batch_op:
        batch_op.drop_index("ix_ugc_state")
        for name in ("revoked_at", "usage_until", "usage_from", "media", *_TEXTS):
            batch_op.drop_column(name)
