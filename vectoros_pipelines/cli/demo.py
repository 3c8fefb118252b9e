"""`vectoros demo`: a generated company's mail and calendar through the whole pipeline."""

from __future__ import annotations

import os
import shutil

import typer
from sqlalchemy import Engine

from vectoros_pipelines.cli.common import console
from vectoros_pipelines.config import ensure_dagster_home, load_settings
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import add_user, list_users

DEMO_PASSWORD = "vectoros-demo"


def _demo_sign_in(engine: Engine, workspace_id: int) -> str:
    """Gives the demo workspace's admins a known password so the dashboard can be opened at once."""
    from dashboard.auth import hash_password

    with engine.begin() as conn:
        people = list_users(conn, workspace_id)
        admins = [u for u in people if u.role == "admin"] or people[:1]
        for user in admins:
            add_user(conn, workspace_id, user.email, user.name, user.role, hash_password(DEMO_PASSWORD))
    return admins[0].email if admins else "(no demo user)"


def demo(
    seed: int = typer.Option(7, help="Generator seed: the same seed gives the same company."),
    deals: int = typer.Option(25, help="How many deals the company works over the period."),
    industry: str = typer.Option("saas", help="saas | manufacturing | logistics"),
    german: bool = typer.Option(False, "--german", help="Some customers write in German."),
) -> None:
    """Generate a company's mailbox and calendar, import them into a fresh workspace and run everything."""
    from vectoros_pipelines.demo.scenario import generate_scenario
    from vectoros_pipelines.runner import run_workspace
    from vectoros_pipelines.scenario import load_scenario

    settings = load_settings()
    ensure_dagster_home()
    folder = settings.home / "demo" / f"{industry}-{seed}"
    if folder.exists():
        shutil.rmtree(folder)
    with console.status("generating the demo company"):
        summary = generate_scenario(folder, seed=seed, n_deals=deals, industry=industry,
                                    languages=("en", "de") if german else ("en",))
    console.print(f"generated {summary}")
    engine = get_engine()
    with console.status("importing mail and calendar"):
        loaded = load_scenario(engine, folder, slug="demo")
    admin = _demo_sign_in(engine, loaded.workspace.id)
    console.print(f"workspace [bold]{loaded.workspace.slug}[/]: {loaded.mail.counts.new} messages, "
                  f"{loaded.calendar.counts.new if loaded.calendar else 0} events captured")
    with console.status("running the pipeline") as status:
        result = run_workspace(loaded.workspace.slug, as_of=loaded.spec.as_of,
                               progress=lambda step: status.update(step))
    for asset, metadata in result.metadata.items():
        shown = {k: v for k, v in metadata.items() if isinstance(v, int | float | str) and len(str(v)) < 60}
        console.print(f"  [bold]{asset}[/] {shown}")
    for failure in result.failures:
        console.print(f"  [red]failed[/] {failure}")
    env = f"VECTOROS_HOME={settings.home} DAGSTER_HOME={os.environ['DAGSTER_HOME']}"
    console.print(
        "\n[bold]Next[/]\n"
        f"  deals:      .venv/bin/vectoros export deals --workspace demo --format csv\n"
        f"  Dagster UI: {env} .venv/bin/dagster dev -w workspace.yaml   → http://127.0.0.1:3000\n"
        f"  dashboard:  {env} .venv/bin/streamlit run dashboard/app.py  → http://127.0.0.1:8501\n"
        f"              sign in as {admin} with password {DEMO_PASSWORD} (demo only; change it with\n"
        "              .venv/bin/vectoros users set-password <email> -w demo)"
    )
    if not result.ok:
        raise typer.Exit(1)
