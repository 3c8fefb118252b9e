"""Keeps the `workspaces` dynamic partitions in step with the workspaces table."""

import dagster as dg

from vectoros_pipelines.partitions import workspace_partitions
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.storage.workspaces import list_workspaces


@dg.sensor(minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def workspace_partitions_sensor(
    context: dg.SensorEvaluationContext, warehouse: Warehouse
) -> dg.SensorResult | dg.SkipReason:
    """Adds a partition for each new workspace (created from the CLI or the dashboard), removes deleted ones."""
    with warehouse.engine.connect() as conn:
        wanted = {w.slug for w in list_workspaces(conn)}
    existing = set(context.instance.get_dynamic_partitions("workspaces"))
    to_add, to_remove = sorted(wanted - existing), sorted(existing - wanted)
    if not to_add and not to_remove:
        return dg.SkipReason(f"{len(wanted)} workspace partition(s) already in step")
    requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if to_add:
        requests.append(workspace_partitions.build_add_request(to_add))
    if to_remove:
        requests.append(workspace_partitions.build_delete_request(to_remove))
    return dg.SensorResult(dynamic_partitions_requests=requests)
