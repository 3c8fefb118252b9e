"""The VectorOS code location: every asset, check, sensor, schedule and resource."""

from __future__ import annotations

import dagster as dg

from vectoros_pipelines.assets.capture import captured_calendar_events, captured_emails
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.sensors.capture_sensors import new_events_sensor, new_mail_sensor
from vectoros_pipelines.sensors.workspace_partitions import workspace_partitions_sensor

defs = dg.Definitions(
    assets=[captured_emails, captured_calendar_events],
    sensors=[workspace_partitions_sensor, new_mail_sensor, new_events_sensor],
    resources={"warehouse": Warehouse()},
)
