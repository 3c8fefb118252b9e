"""Partitions: workspaces are dynamic; raw capture is workspace × month."""

from __future__ import annotations

import dagster as dg

from vectoros_pipelines.capture.months import FUTURE_MONTHS, history_start

WORKSPACE_DIMENSION = "workspace"
MONTH_DIMENSION = "month"

workspace_partitions = dg.DynamicPartitionsDefinition(name="workspaces")

month_partitions = dg.MonthlyPartitionsDefinition(
    start_date=history_start().strftime("%Y-%m"),
    end_offset=1 + FUTURE_MONTHS,  # the current month and the upcoming ones calendars hold
    fmt="%Y-%m",
)

capture_partitions = dg.MultiPartitionsDefinition(
    {WORKSPACE_DIMENSION: workspace_partitions, MONTH_DIMENSION: month_partitions}
)

# Downstream assets read the whole workspace slice of their monthly upstream.
workspace_slice = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name=WORKSPACE_DIMENSION)


def capture_key(workspace: str, month: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({WORKSPACE_DIMENSION: workspace, MONTH_DIMENSION: month})
