"""Where VectorOS keeps its state, from the environment, with embedded defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    qdrant_url: str | None
    qdrant_path: Path
    dagster_home: Path

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def vectoros_home() -> Path:
    return Path(os.environ.get("VECTOROS_HOME", Path.home() / ".vectoros")).expanduser()


def load_settings() -> Settings:
    home = vectoros_home()
    home.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("VECTOROS_DATABASE_URL") or f"sqlite:///{home / 'vectoros.db'}"
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or home / "dagster")
    return Settings(
        home=home,
        database_url=database_url,
        qdrant_url=os.environ.get("QDRANT_URL") or None,
        qdrant_path=home / "qdrant",
        dagster_home=dagster_home,
    )


# The embedded instance: SQLite storage, and pools of one so Qdrant local mode (one process at a
# time) and the SQLite warehouse never see two writers from concurrent runs.
EMBEDDED_DAGSTER_YAML = """\
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def ensure_dagster_home() -> Path:
    """Points DAGSTER_HOME at $VECTOROS_HOME/dagster unless the operator chose one."""
    settings = load_settings()
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    config = Path(os.environ["DAGSTER_HOME"]) / "dagster.yaml"
    if not config.exists():
        config.write_text(EMBEDDED_DAGSTER_YAML)
    return Path(os.environ["DAGSTER_HOME"])
