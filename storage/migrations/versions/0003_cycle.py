"""The yearly cycle: the audit period, the origin of a carried-forward workspace, and the
marks of answers carried over from last year (questionnaire/carryover.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspace") as batch:
        # the audit year (e.g. 2027); plain so the welcome window can show it before unlocking,
        # and sealed in the profile too, which makes an edited column detectable
        batch.add_column(sa.Column("period", sa.Integer, nullable=True))
        # the workspace this one was carried forward from (ID, period, log head, template)
        batch.add_column(sa.Column("origin_sealed", sa.LargeBinary, nullable=True))
    op.create_table(
        "carried",
        sa.Column("item_id", sa.String(16), primary_key=True),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("carried")
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("origin_sealed")
        batch.drop_column("period")
