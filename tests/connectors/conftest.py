from __future__ import annotations

import pytest
from sqlalchemy import Engine

from vectoros_pipelines.storage.workspaces import Workspace, create_workspace


@pytest.fixture
def workspace(engine: Engine) -> Workspace:
    with engine.begin() as conn:
        return create_workspace(conn, "Acme Sales", ["acme-sales.com"])
