from __future__ import annotations

from alembic import context

from vectoros_pipelines.storage.schema import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from vectoros_pipelines.config import load_settings
        from vectoros_pipelines.storage.db import make_engine

        engine = make_engine(load_settings().database_url)
        with engine.begin() as connection:
            context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
