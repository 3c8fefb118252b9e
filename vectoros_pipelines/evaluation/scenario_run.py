"""Running the whole pipeline on a labelled scenario in a throw-away VectorOS home, and scoring it."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from vectoros_pipelines.evaluation.scores import ScenarioScore, score_scenario


@dataclass
class ScenarioRun:
    scenario: str
    score: ScenarioScore
    seconds: float
    failures: list[str] = field(default_factory=list)
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)


@contextmanager
def _temporary_home() -> Iterator[Path]:
    """A fresh VECTOROS_HOME (warehouse, Qdrant, Dagster instance); the caller's environment is restored after."""
    saved = {k: os.environ.get(k) for k in ("VECTOROS_HOME", "VECTOROS_DATABASE_URL", "DAGSTER_HOME", "QDRANT_URL")}
    with tempfile.TemporaryDirectory(prefix="vectoros-eval-") as tmp:
        home = Path(tmp)
        os.environ["VECTOROS_HOME"] = str(home)
        os.environ["DAGSTER_HOME"] = str(home / "dagster")
        (home / "dagster").mkdir()
        os.environ.pop("VECTOROS_DATABASE_URL", None)
        os.environ.pop("QDRANT_URL", None)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            yield home
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def evaluate_scenario(folder: Path) -> ScenarioRun:
    """Imports `folder` into a temporary workspace, runs every asset as of the scenario's `as_of`,
    and scores the exported deals against its truth.json."""
    truth_path = folder / "truth.json"
    if not truth_path.exists():
        raise FileNotFoundError(f"no truth.json in scenario '{folder}'")
    truth = json.loads(truth_path.read_text())
    started = time.perf_counter()
    with _temporary_home():
        from vectoros_pipelines.runner import run_workspace
        from vectoros_pipelines.scenario import load_scenario
        from vectoros_pipelines.storage.db import get_engine
        from vectoros_pipelines.storage.deals import export_deals

        engine = get_engine()
        loaded = load_scenario(engine, folder)
        summary = run_workspace(loaded.workspace.slug, as_of=loaded.spec.as_of)
        with engine.connect() as conn:
            exported = export_deals(conn, loaded.workspace.id)
        engine.dispose()
    return ScenarioRun(
        scenario=folder.name, score=score_scenario(truth, exported), seconds=round(time.perf_counter() - started, 1),
        failures=list(summary.failures), metadata=summary.metadata,
    )
