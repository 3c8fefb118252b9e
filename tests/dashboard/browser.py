"""Headless Chromium driven over the Chrome DevTools protocol, for end-to-end tests of the dashboard.

Uses Debian's `chromium` and the `websockets` package already installed with
Dagster's webserver — no Selenium, no browser download.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--window-size=1400,1000",
)


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium tab: navigate, type, click by visible text, wait for text, screenshot."""

    def __init__(self, profile: Path) -> None:
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        # Entered by hand (not `with`) because the connection lives as long as this object.
        self.ws: ClientConnection = connect(page["webSocketDebuggerUrl"], max_size=None).__enter__()
        self._id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def page_text(self) -> str:
        return str(self.evaluate("document.body ? document.body.innerText : ''"))

    def wait_for_text(self, *needles: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.page_text()
            running = self.evaluate("!!document.querySelector('[data-testid=\"stStatusWidget\"]')")
            if all(n in text for n in needles) and not running:
                return text
            time.sleep(0.2)
        raise AssertionError(f"page never showed {needles!r}; it shows:\n{text[:2000]}")

    def wait_for_visible(self, selector: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        script = (f"[...document.querySelectorAll({json.dumps(selector)})]"
                  ".some(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0)")
        while time.monotonic() < deadline:
            if self.evaluate(script):
                return
            time.sleep(0.2)
        raise AssertionError(f"nothing visible matches {selector!r}")

    def type_into(self, label: str, text: str) -> None:
        """Focuses the input with this aria-label and types, as a person would (React sees real input events)."""
        found = self.evaluate(
            f"(() => {{ const el = document.querySelector('input[aria-label={json.dumps(label)}]');"
            f" if (!el) return false; el.focus(); el.select(); return true; }})()")
        if not found:
            raise AssertionError(f"no input labelled {label!r}")
        self.send("Input.insertText", text=text)

    def click_text(self, text: str, selector: str = "button, a, [role=tab]") -> None:
        clicked = self.evaluate(
            f"(() => {{ const want = {json.dumps(text)};"
            f" const el = [...document.querySelectorAll({json.dumps(selector)})]"
            f"   .find(e => e.innerText.trim().includes(want));"
            f" if (!el) return false; el.click(); return true; }})()")
        if not clicked:
            raise AssertionError(f"nothing clickable says {text!r}")

    def screenshot(self, path: Path) -> Path:
        height = int(self.evaluate(
            "Math.max(document.body.scrollHeight, ...[...document.querySelectorAll('section, div')]"
            ".map(e => e.scrollHeight))") or 1000)
        self.send("Emulation.setDeviceMetricsOverride", width=1400, height=min(max(height, 800), 4000),
                  deviceScaleFactor=1, mobile=False)
        time.sleep(0.5)  # let charts re-layout at the new size
        data = self.send("Page.captureScreenshot", format="png")["data"]
        self.send("Emulation.clearDeviceMetricsOverride")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if hasattr(self, "ws"):
                self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
