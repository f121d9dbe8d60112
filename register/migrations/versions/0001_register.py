"""The auditor's register (issue 16): vendors, keys, submissions, item reviews and their trail,
evidence metadata, corrective actions, the bundle store's index.

Revision ID: r0001
Revises:
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "register_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "vendor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vendor_id", sa.Integer, sa.ForeignKey("vendor.id"), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("pinned_at", TS, nullable=False),
        sa.Column("pinned_by", sa.String(200), nullable=False),
        sa.Column("how", sa.String(32), nullable=False),
        sa.Column("retired_at", TS, nullable=True),
        sa.UniqueConstraint("vendor_id", "public_key"),
    )
    op.create_index("ix_signing_key_vendor_id", "signing_key", ["vendor_id"])
    op.create_index("ix_signing_key_public_key", "signing_key", ["public_key"])
    op.create_table(
        "stored_bundle",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("stored_at", TS, nullable=False),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("vendor_id", sa.Integer, sa.ForeignKey("vendor.id"), nullable=False),
        sa.Column("signing_key_id", sa.Integer, sa.ForeignKey("signing_key.id"), nullable=False),
        sa.Column("signer_key_id", sa.String(16), nullable=False),
        sa.Column("exported_at", TS, nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(32), nullable=False),
        sa.Column("template_sha256", sa.String(64), nullable=False),
        sa.Column("template_official", sa.Boolean, nullable=False),
        sa.Column("template_source", sa.String(500), nullable=False),
        sa.Column("previous_id", sa.String(64), sa.ForeignKey("submission.id"), nullable=True),
        sa.Column("claimed_previous_id", sa.String(64), nullable=True),
        sa.Column("bundle_sha256", sa.String(64), sa.ForeignKey("stored_bundle.sha256"), nullable=False),
        sa.Column("payload_blake2b", sa.String(128), nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("checks_json", sa.Text, nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("can_submit", sa.Boolean, nullable=False),
        sa.Column("required", sa.Integer, nullable=False),
        sa.Column("complete", sa.Integer, nullable=False),
        sa.Column("conforming", sa.Integer, nullable=False),
        sa.Column("needs_improvement", sa.Integer, nullable=False),
        sa.Column("non_conforming", sa.Integer, nullable=False),
        sa.Column("unanswered", sa.Integer, nullable=False),
        sa.Column("blockers", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("next_expiry", sa.Date, nullable=True),
        sa.Column("review_state", sa.String(16), nullable=False),
        sa.Column("review_items", sa.Integer, nullable=False),
        sa.Column("reviewed_items", sa.Integer, nullable=False),
        sa.Column("open_findings", sa.Integer, nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
    )
    for column in ("vendor_id", "exported_at", "fiscal_year", "next_expiry", "review_state"):
        op.create_index(f"ix_submission_{column}", "submission", [column])
    op.create_index("ix_submission_vendor_year", "submission", ["vendor_id", "fiscal_year", "exported_at"])
    op.create_table(
        "item_review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.String(64), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("section_id", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("verdict", sa.String(24), nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("submission_id", "item_id"),
    )
    op.create_table(
        "verdict_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.String(64), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(24), nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("os_user", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_verdict_event_item", "verdict_event", ["submission_id", "item_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.String(64), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("number", sa.String(500), nullable=False),
        sa.Column("issued", sa.Date, nullable=True),
        sa.Column("expires", sa.Date, nullable=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_evidence_submission_id", "evidence", ["submission_id"])
    op.create_index("ix_evidence_expires", "evidence", ["expires"])
    op.create_table(
        "corrective_action",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.String(64), sa.ForeignKey("submission.id"), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("done_on", sa.Date, nullable=True),
        sa.Column("verified_at", TS, nullable=True),
        sa.Column("verified_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_corrective_action_submission_id", "corrective_action", ["submission_id"])
    op.create_index("ix_corrective_action_due", "corrective_action", ["due"])
    if op.get_bind().dialect.name == "postgresql":
        # The audit trail is append-only for every role, the owner's included: an UPDATE or
        # DELETE of a recorded verdict is refused by the server.
        op.execute("""
            CREATE FUNCTION register_trail_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'verdict_event is append-only' USING ERRCODE = '42501';
            END $$""")
        op.execute("""
            CREATE TRIGGER verdict_event_append_only BEFORE UPDATE OR DELETE ON verdict_event
            FOR EACH ROW EXECUTE FUNCTION register_trail_is_append_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER verdict_event_append_only ON verdict_event")
        op.execute("DROP FUNCTION register_trail_is_append_only()")
    for table in ("corrective_action", "evidence", "verdict_event", "item_review", "submission",
                  "stored_bundle", "signing_key", "vendor", "register_meta"):
        op.drop_table(table)
