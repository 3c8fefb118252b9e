"""Fixtures for dashboard tests: a seeded warehouse and AppTest sessions signed in as a given person."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard import auth, session
from tests.dashboard.seed import PASSWORD, Seeded, seed

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
TIMEOUT_S = 30


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine)


@pytest.fixture
def app_as(engine: Engine, seeded: Seeded) -> Callable[..., AppTest]:
    """An AppTest of the dashboard signed in as `email` (in their first workspace), on `page`, with query params."""

    def make(email: str, page: str | None = None, workspace_id: int | None = None, **params: str) -> AppTest:
        with engine.connect() as conn:
            principals = auth.sign_in(conn, email, PASSWORD)
        assert principals, f"seed has no {email}"
        if workspace_id is not None:
            principals.sort(key=lambda p: p.workspace_id != workspace_id)
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.session_state[session.PRINCIPAL] = principals[0]
        at.session_state[session.ALLOWED] = [p.user_id for p in principals]
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception
        return at

    return make


def texts(at: AppTest) -> str:
    """Everything a person would read on the page (markdown, captions, titles, alerts, metrics, tables).

    Markdown escapes (`\\(`) are removed, as the browser does, so tests read what a person reads.
    """
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))
