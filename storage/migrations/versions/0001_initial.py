"""Initial workspace schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("format_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(32), nullable=False),
        sa.Column("template_text", sa.Text, nullable=False),
        sa.Column("profile_sealed", sa.LargeBinary, nullable=False),
        sa.Column("blob_identity_sealed", sa.LargeBinary, nullable=False),
        sa.Column("log_head_sealed", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "keyslot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kdf_params", sa.Text, nullable=False),
        sa.Column("salt", sa.LargeBinary, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("changed_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "answer",
        sa.Column("item_id", sa.String(16), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("item_id", sa.String(16), nullable=False),
        sa.Column("blob_id", sa.String(64), nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_evidence_item_id", "evidence", ["item_id"])
    op.create_index("ix_evidence_blob_id", "evidence", ["blob_id"])
    op.create_table(
        "activity",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("activity", "evidence", "answer", "keyslot", "workspace"):
        op.drop_table(table)
