"""The VectorOS code location: every asset, check, sensor, schedule and resource."""

from __future__ import annotations

import dagster as dg

from vectoros_pipelines.assets.capture import captured_calendar_events, captured_emails
from vectoros_pipelines.assets.deals import deal_embeddings, deals
from vectoros_pipelines.assets.extraction import event_extractions, message_extractions
from vectoros_pipelines.assets.intelligence import deal_health_scores, insights, revenue_forecasts
from vectoros_pipelines.resources import Clock, EmbedderResource, ExtractorResource, VectorStore, Warehouse
from vectoros_pipelines.schedules.workspace_schedules import (
    hourly_monitor_schedule,
    morning_forecast_schedule,
)
from vectoros_pipelines.sensors.capture_sensors import new_events_sensor, new_mail_sensor
from vectoros_pipelines.sensors.workspace_partitions import workspace_partitions_sensor

defs = dg.Definitions(
    assets=[
        captured_emails, captured_calendar_events, message_extractions, event_extractions, deals,
        deal_embeddings, deal_health_scores, insights, revenue_forecasts,
    ],
    sensors=[workspace_partitions_sensor, new_mail_sensor, new_events_sensor],
    schedules=[hourly_monitor_schedule, morning_forecast_schedule],
    resources={
        "warehouse": Warehouse(),
        "extractor": ExtractorResource(),
        "vectors": VectorStore(),
        "embedder": EmbedderResource(),
        "clock": Clock(),
    },
)
