"""`vectoros integrations …` end to end: IMAP connect against Dovecot, list, show, disconnect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.connectors.dovecot_server import Dovecot, running_dovecot
from vectoros_pipelines.cli.integrations import app
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.workspaces import Workspace


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot() as server:
        yield server


def test_connect_imap_list_show_disconnect(engine: Engine, workspace: Workspace, dovecot: Dovecot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv("SARAH_IMAP_PASSWORD", "wrong")
    args = ["connect", "imap", "-w", workspace.slug, "--host", dovecot.host, "--port", str(dovecot.port), "--no-ssl",
            "--username", dovecot.username, "--password-env", "SARAH_IMAP_PASSWORD"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "refused" in refused.output

    monkeypatch.setenv("SARAH_IMAP_PASSWORD", dovecot.password)
    connected = runner.invoke(app, args)
    assert connected.exit_code == 0, connected.output
    with engine.begin() as conn:
        (integration,) = store.list_integrations(conn, workspace.id)
        assert store.load_token(conn, load_cipher(), workspace.id, integration.id)["password"] == dovecot.password  # type: ignore[index]

    listed = runner.invoke(app, ["list", "-w", workspace.slug])
    assert listed.exit_code == 0 and "imap" in listed.output and "active" in listed.output
    shown = runner.invoke(app, ["show", str(integration.id), "-w", workspace.slug])
    assert shown.exit_code == 0 and "token=stored" in shown.output
    assert runner.invoke(app, ["show", "999", "-w", workspace.slug]).exit_code == 1

    gone = runner.invoke(app, ["disconnect", str(integration.id), "-w", workspace.slug])
    assert gone.exit_code == 0, gone.output
    with engine.begin() as conn:
        after = store.get_integration(conn, workspace.id, integration.id)
        assert after.status == "disconnected" and not after.has_token


def test_integrations_of_another_workspace_are_invisible(engine: Engine, workspace: Workspace) -> None:
    from vectoros_pipelines.storage.workspaces import create_workspace

    with engine.begin() as conn:
        other = create_workspace(conn, "Globex", ["globex.example"])
        theirs = store.connect_integration(conn, load_cipher(), other.id, "gmail", "tom@globex.example", {"t": 1})
        assert store.list_integrations(conn, workspace.id) == []
        with pytest.raises(store.IntegrationNotFound):
            store.get_integration(conn, workspace.id, theirs.id)
        with pytest.raises(store.IntegrationNotFound):
            store.disconnect_integration(conn, workspace.id, theirs.id)
    result = CliRunner().invoke(app, ["show", str(theirs.id), "-w", workspace.slug])
    assert result.exit_code == 1
