"""End to end: `streamlit run` on 127.0.0.1 against a seeded warehouse, driven by headless Chromium.

Signs in, reads the command center, opens a deal from it and reads its health and
timeline, and checks another workspace's deal stays hidden. Screenshots go to
`test-output/dashboard-e2e/` at the project root (look at them after a change).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.dashboard.browser import Browser, chromium_binary
from tests.dashboard.seed import PASSWORD, seed

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "dashboard-e2e"

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="needs Debian's chromium (apt-get install -y chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dashboard_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    # The fixtures put VECTOROS_HOME / VECTOROS_DATABASE_URL in os.environ; the server inherits them.
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise RuntimeError(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()}") from None
            time.sleep(0.2)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    tab = Browser(profile)
    yield tab
    tab.close()


def test_sign_in_command_center_and_deal_page_in_a_real_browser(
        engine: Engine, dashboard_url: str, browser: Browser) -> None:
    seeded = seed(engine)

    browser.goto(dashboard_url)
    browser.wait_for_text("VectorOS", "Password")
    browser.type_into("E-mail", "dana@acme.com")
    browser.type_into("Password", PASSWORD)
    browser.screenshot(SHOTS / "01-sign-in.png")
    browser.click_text("Sign in")

    text = browser.wait_for_text("Command center", "Open pipeline", "Biggest open deals", "Last capture")
    assert "57,000" in text and "120,000" in text
    assert "Globex Secret Project" not in text
    browser.screenshot(SHOTS / "02-command-center.png")

    browser.click_text("Initech GmbH · 48,000 EUR")
    text = browser.wait_for_text("Initech GmbH", "70 / 100", "Why this score")
    browser.screenshot(SHOTS / "03-deal-health.png")

    browser.click_text("Timeline", "[role=tab]")
    text = browser.wait_for_text("Analytics Suite — next steps", "Initech demo", "48,000 EUR")
    browser.screenshot(SHOTS / "04-deal-timeline.png")

    browser.click_text("Audit trail", "[role=tab]")
    browser.wait_for_visible("[role=tabpanel] [data-testid=stDataFrame]")  # a canvas grid: no text to read
    browser.screenshot(SHOTS / "05-deal-audit.png")

    browser.click_text("Forecast", "a")
    browser.wait_for_text("Next 30 days — likely", "Backtest", "What drives this forecast")
    browser.screenshot(SHOTS / "06-forecast.png")

    browser.click_text("Insights", "a")
    browser.wait_for_text("Hooli pilot is at risk (health 31)", "Acknowledge")
    browser.screenshot(SHOTS / "07-insights.png")

    # Another workspace's deal id typed into the URL: a reload signs out, and even signed in it is not found.
    browser.goto(f"{dashboard_url}/deal?deal={seeded.secret_deal}")
    text = browser.wait_for_text("Password")
    assert "Globex Secret Project" not in text
