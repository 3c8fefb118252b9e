"""Test fixtures: every test gets its own VECTOROS_HOME and an empty warehouse.

`VECTOROS_TEST_DB=postgresql` runs the same tests on PostgreSQL
(`VECTOROS_TEST_PG_URL`, default the local server's `vectoros_test` database,
created if missing); CI runs the suite once per engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from vectoros_pipelines.storage import db
from vectoros_pipelines.storage.schema import metadata

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"
ENGINE = os.environ.get("VECTOROS_TEST_DB", "sqlite")


def _pg_url() -> str:
    base = os.environ.get("VECTOROS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_test")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{base}_{worker}" if worker else base


def _ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    url = _pg_url()
    _ensure_pg_database(url)
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.migrate(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if ENGINE == "postgresql":
        engine: Engine = request.getfixturevalue("pg_engine")
        _truncate(engine)
        return engine.url.render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'vectoros.db'}"


@pytest.fixture
def vectoros_env(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh VECTOROS_HOME, DAGSTER_HOME and warehouse for one test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("VECTOROS_HOME", str(home))
    monkeypatch.setenv("VECTOROS_DATABASE_URL", database_url)
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    (home / "dagster").mkdir()
    monkeypatch.delenv("VECTOROS_SECRET_KEY", raising=False)
    monkeypatch.delenv("QDRANT_URL", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return home


@pytest.fixture
def engine(vectoros_env: Path) -> Engine:
    return db.get_engine()
