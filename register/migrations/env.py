"""Alembic environment of the register: always run with a connection handed in by register.db."""

from alembic import context

from register.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  version_table=config.get_main_option("version_table"))
with context.begin_transaction():
    context.run_migrations()
