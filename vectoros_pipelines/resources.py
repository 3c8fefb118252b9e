"""Typed Dagster resources for every external system the assets touch."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import dagster as dg
from sqlalchemy import Engine

from vectoros_pipelines.extraction.base import Extractor
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import Workspace, get_workspace

if TYPE_CHECKING:
    from vectoros_pipelines.vectors.embedder import Embedder
    from vectoros_pipelines.vectors.index import VectorIndex


class Warehouse(dg.ConfigurableResource):
    """The SQL warehouse: SQLite under $VECTOROS_HOME unless VECTOROS_DATABASE_URL points at PostgreSQL."""

    database_url: str | None = None

    @property
    def engine(self) -> Engine:
        return get_engine(self.database_url)

    def workspace(self, slug: str) -> Workspace:
        with self.engine.connect() as conn:
            return get_workspace(conn, slug)


class Clock(dg.ConfigurableResource):
    """"Now" for a run: the wall clock, or a past instant to compute health, insights and forecasts as of then."""

    as_of: str | None = None  # ISO 8601; naive values are read as UTC

    def now(self) -> datetime:
        if not self.as_of:
            return datetime.now(UTC)
        value = datetime.fromisoformat(self.as_of)
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class ExtractorResource(dg.ConfigurableResource):
    """Which extractor reads the mail: the offline LocalExtractor, or Claude when an API key is configured.

    `kind="auto"` uses Claude when ANTHROPIC_API_KEY is set and the local model otherwise.
    """

    kind: str = "auto"  # auto | local | claude

    def build(self) -> Extractor:
        choice = self.kind
        if choice == "auto":
            choice = "claude" if os.environ.get("ANTHROPIC_API_KEY") else "local"
        if choice == "claude":
            from vectoros_pipelines.extraction.claude import ClaudeExtractor

            return ClaudeExtractor.from_env()
        if choice == "local":
            from vectoros_pipelines.extraction.local import LocalExtractor

            return LocalExtractor()
        raise ValueError(f"extractor kind must be auto, local or claude, not {self.kind!r}")


class VectorStore(dg.ConfigurableResource):
    """Deal vectors in Qdrant: local mode under $VECTOROS_HOME/qdrant, or a server when QDRANT_URL is set.

    Local mode admits one client at a time, so the index is opened once per process and
    the assets that use it share the `vectors` concurrency pool (limit 1).
    """

    qdrant_url: str | None = None

    def index(self) -> VectorIndex:
        from vectoros_pipelines.vectors.index import shared_index

        return shared_index(self.qdrant_url)


class EmbedderResource(dg.ConfigurableResource):
    """all-MiniLM-L6-v2 on the CPU, loaded from the installed model package (never a hub), once per process."""

    def get(self) -> Embedder:
        from vectoros_pipelines.vectors.embedder import shared_embedder

        return shared_embedder()
