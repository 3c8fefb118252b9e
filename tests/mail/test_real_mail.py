"""Every real message in the shared data parses; charsets and threading come out right."""

from __future__ import annotations

import tarfile
from collections import Counter
from pathlib import Path

import pytest

from tests.mail.conftest import ENRON_ARCHIVE, ENRON_CRLF
from vectoros_pipelines.mail.parse import parse_email, quick_sent_at


def test_every_enron_crlf_message_parses() -> None:
    files = sorted(p for p in ENRON_CRLF.iterdir() if p.is_file())
    assert len(files) == 250
    for path in files:
        raw = path.read_bytes()
        assert b"\r\n" in raw
        email = parse_email(raw)
        assert email.message_id and email.from_ is not None, path.name
        assert email.sent_at is not None and email.sent_at.tzinfo is not None, path.name
        assert email.body_text, path.name
        assert "\r" not in email.body_text
        assert quick_sent_at(raw) == email.sent_at, path.name


def test_every_usrp_message_parses_with_threading_headers(usrp_messages: list[Path]) -> None:
    assert len(usrp_messages) == 1088
    replies = 0
    for path in usrp_messages:
        email = parse_email(path.read_bytes())
        assert email.message_id, path.name
        assert email.sent_at is not None, path.name
        assert email.headers.get("List-Id", "").endswith("<usrp-users.lists.ettus.com>"), path.name
        assert "[usrp-users]" not in email.normalized_subject, path.name
        assert "\ufffd" not in email.body_text, path.name
        if email.in_reply_to:
            replies += 1
            assert "<" not in email.in_reply_to and ">" not in email.in_reply_to
            assert all("<" not in ref for ref in email.references)
    assert replies > 500  # most list traffic is replies


def _declaring(messages: list[Path], charset: bytes) -> list[Path]:
    return [p for p in messages if b"charset=" + charset in p.read_bytes().lower().replace(b'"', b"")]


@pytest.mark.parametrize("charset", [b"iso-2022-jp", b"iso-8859-1", b"windows-1252"])
def test_usrp_non_utf8_charsets_give_readable_text(usrp_messages: list[Path], charset: bytes) -> None:
    found = _declaring(usrp_messages, charset)
    assert found, f"no usrp message declares {charset!r}"
    for path in found:
        email = parse_email(path.read_bytes())
        assert email.body_text.strip(), path.name
        assert "\ufffd" not in email.body_text + email.subject, path.name
        assert email.charset_warnings == [], path.name
        # Mojibake from reading 8-bit text with the wrong table would show up as "Ã" sequences.
        assert "Ã" not in email.body_text, path.name


def test_usrp_iso_2022_jp_message_reads_as_japanese(usrp_messages: list[Path]) -> None:
    texts = []
    for path in _declaring(usrp_messages, b"iso-2022-jp"):
        email = parse_email(path.read_bytes())
        texts.append(email.body_text + email.subject)
    assert any(any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts) or texts


@pytest.mark.slow
def test_enron_archive_sample_parses() -> None:
    """Every 20th of the 43,410 Enron messages (≈2,170), read straight from the tarball."""
    if not ENRON_ARCHIVE.exists():
        pytest.skip(f"shared data missing: {ENRON_ARCHIVE}")
    parsed = 0
    months: Counter[str] = Counter()
    with tarfile.open(ENRON_ARCHIVE, "r:gz") as archive:
        for index, member in enumerate(m for m in archive if m.isfile() and m.name.startswith("maildir/")):
            if index % 20:
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            email = parse_email(handle.read())
            assert email.message_key, member.name
            if email.sent_at:
                months[email.sent_at.strftime("%Y-%m")] += 1
            parsed += 1
    assert parsed >= 2_100
    assert sum(months.values()) >= parsed * 0.99  # nearly every message has a usable date
    assert months.most_common(1)[0][0].startswith(("2001", "2002"))
