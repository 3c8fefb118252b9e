from __future__ import annotations

from collections.abc import Callable

import pytest

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.local import LocalExtractor
from vectoros_pipelines.mail.message import ParsedEmail
from vectoros_pipelines.mail.parse import parse_email

US = WorkspaceContext("Brightline", ("brightline.io",), ("maria@brightline.io",))


@pytest.fixture(scope="session")
def extractor() -> LocalExtractor:
    return LocalExtractor()


@pytest.fixture
def mail() -> Callable[..., ParsedEmail]:
    def make(sender: str, to: str, subject: str, body: str, *, extra: str = "",
             date: str = "Wed, 03 Jun 2026 10:00:00 +0000") -> ParsedEmail:
        raw = (f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {date}\nMessage-ID: <t-{abs(hash(body))}@x>\n"
               f"{extra}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
        return parse_email(raw.encode())
    return make
