"""'Sync now': launches a workspace's capture run through the Dagster webserver's GraphQL API.

The dashboard never runs pipelines itself; it asks the webserver (the same one
data engineers use) so the run shows up in Dagster with its logs and retries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

# The capture assets of the current month's workspace × month partition; the downstream
# assets follow through their own sensors/automation once capture lands.
SYNC_ASSETS = ("captured_emails", "captured_calendar_events")
IMPLICIT_ASSET_JOB = "__ASSET_JOB"


class DagsterUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class LaunchedRun:
    run_id: str
    partition: str
    url: str


def webserver_address() -> tuple[str, int]:
    return os.environ.get("DAGSTER_WEBSERVER_HOST", "127.0.0.1"), int(os.environ.get("DAGSTER_WEBSERVER_PORT", "3000"))


def client(timeout: int = 10) -> DagsterGraphQLClient:
    host, port = webserver_address()
    return DagsterGraphQLClient(host, port_number=port, timeout=timeout)


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _unavailable(exc: Exception) -> DagsterUnavailable:
    host, port = webserver_address()
    if any(isinstance(c, requests.ConnectionError | ConnectionError) for c in _causes(exc)):
        return DagsterUnavailable(
            f"the Dagster webserver is not running at http://{host}:{port} — start it with "
            f"`dagster dev -w workspace.yaml` (or set DAGSTER_WEBSERVER_HOST / DAGSTER_WEBSERVER_PORT)")
    # The client's message embeds the whole GraphQL query; its first line and the body say what went wrong.
    detail = " ".join(str(a) for a in exc.args[1:]) or str(exc).splitlines()[0]
    return DagsterUnavailable(f"Dagster at http://{host}:{port} refused the request: {detail[:500]}")


def current_capture_partition(workspace_slug: str, today: datetime | None = None) -> dict[str, str]:
    """Tags that select the (month, workspace) capture partition of this month."""
    month = (today or datetime.now(UTC)).strftime("%Y-%m")
    # MultiPartitionKey's string form joins dimension keys in dimension-name order: month|workspace.
    return {"dagster/partition": f"{month}|{workspace_slug}"}


def launch_sync(workspace_slug: str, requested_by: str, graphql: DagsterGraphQLClient | None = None) -> LaunchedRun:
    tags = current_capture_partition(workspace_slug) | {
        "vectoros/workspace": workspace_slug, "vectoros/trigger": "dashboard", "vectoros/requested_by": requested_by,
    }
    try:
        run_id = (graphql or client()).submit_job_execution(
            os.environ.get("VECTOROS_SYNC_JOB", IMPLICIT_ASSET_JOB),
            asset_selection=list(SYNC_ASSETS),
            tags=tags,
        )
    except (DagsterGraphQLClientError, requests.RequestException, ConnectionError) as exc:
        raise _unavailable(exc) from exc
    host, port = webserver_address()
    return LaunchedRun(run_id, tags["dagster/partition"], f"http://{host}:{port}/runs/{run_id}")


def run_status(run_id: str, graphql: DagsterGraphQLClient | None = None) -> str:
    """QUEUED, STARTING, STARTED, SUCCESS, FAILURE, CANCELED … as Dagster reports it."""
    try:
        status = (graphql or client(timeout=5)).get_run_status(run_id)
    except (DagsterGraphQLClientError, requests.RequestException, ConnectionError) as exc:
        raise _unavailable(exc) from exc
    return str(status.value)
