"""Team mode: the audit trail becomes a hash chain.

Adds `prev_hash` and `hash` to `audit_event` and hashes the events already stored, in id
order, so an upgraded store verifies (`workstation audit verify`). The agents table already
has what team mode needs (role, languages, capacity, active).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_PAGE = 5_000


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(64), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    _hash_existing(op.get_bind())


def _hash_existing(conn: sa.Connection) -> None:
    # The scheme lives with the code that appends and verifies; importing it keeps one copy.
    from workstation.audit_chain import GENESIS, link

    table = sa.Table(
        "audit_event", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("actor_kind", sa.String), sa.Column("actor", sa.String),
        sa.Column("action", sa.String), sa.Column("target_kind", sa.String),
        sa.Column("target_id", sa.String), sa.Column("conversation_id", sa.Integer),
        sa.Column("details", sa.JSON), sa.Column("prev_hash", sa.String),
        sa.Column("hash", sa.String),
    )
    prev, after = GENESIS, 0
    while True:
        rows = conn.execute(sa.select(table).where(table.c.id > after)
                            .order_by(table.c.id).limit(_PAGE)).mappings().all()
        if not rows:
            return
        updates = []
        for row in rows:
            digest = link(prev, dict(row))
            updates.append({"b_id": row["id"], "b_prev": prev, "b_hash": digest})
            prev = digest
        conn.execute(table.update().where(table.c.id == sa.bindparam("b_id"))
                     .values(prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash")),
                     updates)
        after = rows[-1]["id"]


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
