"""Materializes every asset for one workspace in-process: what the sensors and schedules would do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import dagster as dg

from vectoros_pipelines.capture.scan import scan_sources
from vectoros_pipelines.capture.sources import CALENDAR_FILES, MAIL_FILES, pending_months
from vectoros_pipelines.config import ensure_dagster_home
from vectoros_pipelines.partitions import capture_key, workspace_partitions
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import get_workspace
from vectoros_pipelines.workspace_admin import register_partition

CAPTURE_ASSETS = ("captured_emails", "captured_calendar_events")
# Step-by-step logs stay in the Dagster instance (visible in the UI); the terminal shows progress only.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class RunSummary:
    workspace: str
    capture_runs: int = 0
    downstream_assets: list[str] = field(default_factory=list)
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _record(summary: RunSummary, result: dg.ExecuteInProcessResult) -> None:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization  # type: ignore[union-attr]
        name = materialization.asset_key.to_user_string()
        summary.metadata[name] = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
    for event in result.all_events:
        if event.is_step_failure:
            summary.failures.append(f"{event.step_key}: {event.event_specific_data.error.message.strip()}")  # type: ignore[union-attr]


def downstream_asset_keys(defs: dg.Definitions) -> list[dg.AssetKey]:
    """Every asset partitioned by workspace alone: what runs after capture."""
    graph = defs.resolve_asset_graph()
    return [key for key in graph.get_all_asset_keys()
            if graph.get(key).is_materializable and graph.get(key).partitions_def == workspace_partitions]


def run_workspace(
    slug: str, *, as_of: datetime | None = None, progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Captures whatever is pending in the workspace's sources, then refreshes every downstream asset."""
    from vectoros_pipelines.definitions import defs

    ensure_dagster_home()
    register_partition(slug)
    engine = get_engine()
    with engine.connect() as conn:
        workspace = get_workspace(conn, slug)
    summary = RunSummary(workspace=slug)
    say = progress or (lambda _message: None)

    months: set[str] = set()
    for provider in (MAIL_FILES, CALENDAR_FILES):
        scan_sources(engine, workspace, provider)
        months |= set(pending_months(engine, workspace, provider))
    job = defs.resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.get() as instance:
        for month in sorted(months):
            say(f"capture {month}")
            result = job.execute_in_process(
                instance=instance, partition_key=capture_key(slug, month),
                asset_selection=[dg.AssetKey(a) for a in CAPTURE_ASSETS], raise_on_error=False, run_config=QUIET,
                tags={"vectoros/workspace": slug, "vectoros/trigger": "cli"},
            )
            summary.capture_runs += 1
            _record(summary, result)
        downstream = downstream_asset_keys(defs)
        if downstream:
            say("extract, match, score, forecast")
            run_config = QUIET | {"resources": {"clock": {"config": {"as_of": as_of.isoformat() if as_of else None}}}}
            result = job.execute_in_process(
                instance=instance, partition_key=slug, asset_selection=downstream, raise_on_error=False,
                run_config=run_config, tags={"vectoros/workspace": slug, "vectoros/trigger": "cli"},
            )
            summary.downstream_assets = [k.to_user_string() for k in downstream]
            _record(summary, result)
    return summary

