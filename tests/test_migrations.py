"""Schema migrations: the code's idea of the head matches Alembic's, and the models match the schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage import Workspace, db
from storage.models import Base

from .conftest import PASSPHRASE


def test_head_revision_constant_matches_scripts():
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == db.HEAD_REVISION
    assert {r.revision for r in script.walk_revisions()} == set(db.KNOWN_REVISIONS)


def test_migrated_schema_matches_models(tmp_path):
    engine = db.make_engine(tmp_path / "x.db")
    assert db.upgrade(engine) is True
    assert db.upgrade(engine) is False  # up to date: Alembic not even loaded
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_newer_workspace_is_refused_clearly(mini_ws):
    import sqlite3

    import pytest

    from storage import UnsupportedWorkspace

    path = mini_ws.path
    mini_ws.close()
    con = sqlite3.connect(path / "attest.db")
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(UnsupportedWorkspace, match="newer version"):
        Workspace.open(path, PASSPHRASE)
