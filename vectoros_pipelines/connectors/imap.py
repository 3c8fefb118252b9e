"""IMAP capture (Outlook / Microsoft 365 and any other server) with imapclient.

Reads INBOX and the Sent folder (found by its SPECIAL-USE `\\Sent` flag, else
by the usual names). The cursor per folder is UIDVALIDITY + the last UID
captured + the UIDNEXT seen, so:
* a sync fetches `UID <last+1>:*` in ascending chunks and saves the cursor after
  each chunk — a connection dropped mid-fetch resumes at the next UID;
* a changed UIDVALIDITY means the server renumbered the folder: we refetch the
  window, and the store's Message-ID key turns the refetch into updates;
* a sensor compares UIDNEXT from a STATUS command, which does not open the folder.
"""

from __future__ import annotations

import contextlib
import copy
import ssl as ssl_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import imapclient
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imapclient import SENT as SENT_FLAG

from vectoros_pipelines.connectors.errors import ReauthRequired
from vectoros_pipelines.connectors.items import INBOX, SENT, RawMessage
from vectoros_pipelines.connectors.page import Cursor, Page, ProbeResult

ImapLogin = Callable[[IMAPClient], None]
ClientFactory = Callable[[], IMAPClient]


@dataclass(frozen=True)
class ImapAccount:
    host: str
    username: str
    port: int = 993
    ssl: bool = True
    timeout_s: float = 60.0


@dataclass(frozen=True)
class ImapSettings:
    window_days: int = 30
    chunk_size: int = 50


def password_login(username: str, password: str) -> ImapLogin:
    def login(client: IMAPClient) -> None:
        client.login(username, password)

    return login


def xoauth2_login(username: str, access_token: Callable[[], str]) -> ImapLogin:
    """SASL XOAUTH2, as Microsoft 365 requires since basic auth was retired."""

    def login(client: IMAPClient) -> None:
        client.oauth2_login(username, access_token())

    return login


def client_factory(account: ImapAccount, login: ImapLogin) -> ClientFactory:
    def open_client() -> IMAPClient:
        context = ssl_module.create_default_context() if account.ssl else None
        client = IMAPClient(account.host, port=account.port, ssl=account.ssl, ssl_context=context,
                            timeout=account.timeout_s)
        try:
            login(client)
        except LoginError as exc:
            _close(client)
            raise ReauthRequired(f"IMAP login to {account.host} as {account.username} refused: {exc}") from exc
        return client

    return open_client


def _close(client: IMAPClient) -> None:
    # A dropped connection cannot say goodbye; the sync outcome is already decided.
    with contextlib.suppress(OSError, imapclient.exceptions.IMAPClientError):
        client.logout()


def _utcnow() -> datetime:
    return datetime.now(UTC)


def capture_folders(client: IMAPClient) -> list[tuple[str, str]]:
    """(folder name, role) for INBOX and the Sent folder, when the server has one."""
    folders = [("INBOX", INBOX)]
    sent = client.find_special_folder(SENT_FLAG)
    if sent and sent.upper() != "INBOX":
        folders.append((sent, SENT))
    return folders


class ImapConnector:
    def __init__(self, open_client: ClientFactory, settings: ImapSettings | None = None,
                 now: Callable[[], datetime] = _utcnow) -> None:
        self.open_client = open_client
        self.settings = settings or ImapSettings()
        self.now = now

    def probe(self, cursor: Cursor | None) -> ProbeResult:
        saved = (cursor or {}).get("folders") or {}
        if not saved:
            return ProbeResult(True, "never synced: first window sync due")
        client = self.open_client()
        try:
            for name, _role in capture_folders(client):
                status = client.folder_status(name, [b"UIDVALIDITY", b"UIDNEXT"])
                state = saved.get(name)
                if state is None:
                    return ProbeResult(True, f"folder {name!r} not synced yet")
                if int(status[b"UIDVALIDITY"]) != state["uidvalidity"]:
                    return ProbeResult(True, f"{name}: UIDVALIDITY changed, resync due")
                if int(status[b"UIDNEXT"]) != state["uidnext"]:
                    return ProbeResult(True, f"{name}: UIDNEXT {state['uidnext']} → {status[b'UIDNEXT']}")
            return ProbeResult(False, "UIDNEXT unchanged in every folder")
        finally:
            _close(client)

    def pages(self, cursor: Cursor | None) -> Iterator[Page[RawMessage]]:
        state: dict[str, dict[str, int]] = copy.deepcopy((cursor or {}).get("folders") or {})
        client = self.open_client()
        try:
            for name, role in capture_folders(client):
                yield from self._folder_pages(client, name, role, state)
        finally:
            _close(client)

    def _folder_pages(
        self, client: IMAPClient, name: str, role: str, state: dict[str, dict[str, int]]
    ) -> Iterator[Page[RawMessage]]:
        selected = client.select_folder(name, readonly=True)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        uidnext = int(selected.get(b"UIDNEXT", 0))
        saved = state.get(name)
        if saved and saved["uidvalidity"] == uidvalidity:
            last = saved["last_uid"]
            # "n:*" always matches the highest UID even when it is below n.
            uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
            note = None
        else:
            since = (self.now() - timedelta(days=self.settings.window_days)).date()
            uids = sorted(client.search(["SINCE", since]))
            last = 0
            note = (
                f"{name}: UIDVALIDITY changed ({saved['uidvalidity']} → {uidvalidity}), refetching the "
                f"{self.settings.window_days}-day window"
                if saved
                else f"{name}: first sync, last {self.settings.window_days} days"
            )
        chunks = [uids[i : i + self.settings.chunk_size] for i in range(0, len(uids), self.settings.chunk_size)]
        if not chunks:
            state[name] = {"uidvalidity": uidvalidity, "last_uid": max(last, uidnext - 1), "uidnext": uidnext}
            yield Page(items=[], cursor={"folders": copy.deepcopy(state)}, note=note)
            return
        for index, chunk in enumerate(chunks):
            fetched: dict[int, dict[bytes, Any]] = client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])
            items = []
            for uid in chunk:
                data = fetched.get(uid)
                if data is None or b"BODY[]" not in data:
                    continue
                received = data.get(b"INTERNALDATE")
                items.append(RawMessage(
                    source_id=f"{name}:{uidvalidity}:{uid}", raw=bytes(data[b"BODY[]"]), labels=(role,),
                    folder=name,
                    received_at=received.astimezone(UTC) if isinstance(received, datetime) and received.tzinfo
                    else None,
                ))
            last_chunk = index == len(chunks) - 1
            # Until the folder is done, UIDNEXT stays at what we have captured, so a
            # sensor still reports news if this sync dies before the end.
            state[name] = {
                "uidvalidity": uidvalidity,
                "last_uid": max(chunk[-1], uidnext - 1) if last_chunk else chunk[-1],
                "uidnext": uidnext if last_chunk else chunk[-1] + 1,
            }
            yield Page(items=items, cursor={"folders": copy.deepcopy(state)}, provider_total=len(chunk),
                       vanished=len(chunk) - len(items), note=note if index == 0 else None)
