"""What a sensor or `vectoros run` does first: list new or changed items of every file source."""

from __future__ import annotations

from sqlalchemy import Engine

from vectoros_pipelines.capture.calendar_capture import scan_calendar_source
from vectoros_pipelines.capture.mail_capture import scan_mail_source
from vectoros_pipelines.capture.sources import MAIL_FILES, file_sources
from vectoros_pipelines.storage.workspaces import Workspace


def scan_sources(engine: Engine, workspace: Workspace, provider: str) -> dict[str, int]:
    """Lists new or changed items of every file source of one kind; returns months → items."""
    with engine.connect() as conn:
        sources = file_sources(conn, workspace, provider)
    months: dict[str, int] = {}
    for source in sources:
        scan = scan_mail_source if provider == MAIL_FILES else scan_calendar_source
        for month, n in scan(engine, workspace, source).items():
            months[month] = months.get(month, 0) + n
    return months
