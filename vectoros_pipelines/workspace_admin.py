"""Creating a workspace everywhere it must exist: the warehouse row and its Dagster partition."""

from __future__ import annotations

from collections.abc import Sequence

from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import Workspace, add_user, create_workspace

WORKSPACES_PARTITION = "workspaces"  # name of the DynamicPartitionsDefinition


def register_partition(slug: str) -> bool:
    """Adds the workspace's dynamic partition to the Dagster instance; False when no instance is reachable.

    The `workspace_partitions_sensor` keeps partitions in step with the table anyway,
    so a workspace created where no Dagster instance is configured still appears there.
    """
    import dagster as dg

    from vectoros_pipelines.config import ensure_dagster_home

    ensure_dagster_home()
    try:
        instance = dg.DagsterInstance.get()
    except dg.DagsterInvariantViolationError:
        return False
    with instance:
        if not instance.has_dynamic_partition(WORKSPACES_PARTITION, slug):
            instance.add_dynamic_partitions(WORKSPACES_PARTITION, [slug])
    return True


def create_workspace_everywhere(
    name: str, domains: Sequence[str], timezone: str = "UTC", slug: str | None = None,
    users: Sequence[dict[str, str]] = (),
) -> Workspace:
    engine = get_engine()
    with engine.begin() as conn:
        workspace = create_workspace(conn, name, domains, timezone, slug=slug)
        for user in users:
            add_user(conn, workspace.id, user["email"], user.get("name"), user.get("role", "user"))
    register_partition(workspace.slug)
    return workspace
