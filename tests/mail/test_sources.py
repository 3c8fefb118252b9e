from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from tests.mail.conftest import ENRON_CRLF, MAIL_FIXTURES
from vectoros_pipelines.mail.parse import parse_email
from vectoros_pipelines.mail.sources import detect_mail_source, iter_mail_items, read_item


def _subjects(root: Path) -> list[str]:
    return [parse_email(read_item(root, item)).subject for item in iter_mail_items(root)]


@pytest.mark.parametrize("line_ending", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_mbox_is_split_into_its_three_messages(tmp_path: Path, line_ending: bytes) -> None:
    mbox = tmp_path / "Takeout.mbox"
    mbox.write_bytes((MAIL_FIXTURES / "three_messages.mbox").read_bytes().replace(b"\n", line_ending))
    assert detect_mail_source(mbox) == "mbox"

    items = list(iter_mail_items(mbox))
    assert [item.locator for item in items] == [f"Takeout.mbox#{item.start_offset}" for item in items]
    assert items[0].start_offset == 0
    assert all(a.end_offset == b.start_offset for a, b in zip(items, items[1:], strict=False))
    assert items[-1].end_offset == mbox.stat().st_size

    emails = [parse_email(read_item(mbox, item)) for item in items]
    assert [e.message_id for e in emails] == ["one@example.com", "two@example.com", "three@example.com"]
    # mboxrd quoting is undone, and a body line starting "From " stays in its message.
    assert "From here on, this line was escaped" in emails[0].body_text
    assert "From what I can tell" in emails[1].body_text
    raw = read_item(mbox, items[0])
    assert not raw.startswith(b"From ") and raw.endswith(b"escaped by the mbox writer." + line_ending)


def test_mbox_inside_a_directory_is_found_by_its_first_line(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    shutil.copy(MAIL_FIXTURES / "three_messages.mbox", tmp_path / "archive" / "All mail Including Spam")
    shutil.copy(MAIL_FIXTURES / "no_message_id.eml", tmp_path / "12")
    assert detect_mail_source(tmp_path) == "directory"
    locators = [item.locator for item in iter_mail_items(tmp_path)]
    assert locators[0] == "12"
    assert [loc.split("#")[0] for loc in locators[1:]] == ["archive/All mail Including Spam"] * 3
    assert _subjects(tmp_path) == ["numbers", "first", "Re: first", "third"]


def test_maildir_reads_cur_and_new_of_every_folder_and_skips_tmp_and_index_files() -> None:
    root = MAIL_FIXTURES / "maildir"
    assert detect_mail_source(root) == "maildir"
    locators = sorted(item.locator for item in iter_mail_items(root))
    assert locators == [".Sent/cur/1741600002.M3P1.host:2,S", "cur/1741600000.M1P1.host:2,S", "new/1741600001.M2P1.host"]
    assert sorted(_subjects(root)) == ["Re: seen message", "new message", "seen message"]


def test_directory_search_is_recursive_and_accepts_any_file_name() -> None:
    assert detect_mail_source(ENRON_CRLF) == "directory"
    items = list(iter_mail_items(ENRON_CRLF))
    assert len(items) == 250
    assert all(item.start_offset is None and item.size_bytes > 0 and item.mtime_ns > 0 for item in items)


def test_single_file_source(tmp_path: Path) -> None:
    message = tmp_path / "message.eml"
    shutil.copy(MAIL_FIXTURES / "with_attachment.eml", message)
    assert detect_mail_source(message) == "file"
    (item,) = iter_mail_items(message)
    assert item.locator == "message.eml"
    assert read_item(message, item) == message.read_bytes()
    assert read_item(message, item, limit=10) == message.read_bytes()[:10]


def test_missing_source_and_escaping_locator_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        detect_mail_source(tmp_path / "nope")
    with pytest.raises(FileNotFoundError):
        list(iter_mail_items(tmp_path / "nope"))
    from vectoros_pipelines.sources import SourceItem

    (tmp_path / "inside").mkdir()
    with pytest.raises(ValueError, match="outside"):
        read_item(tmp_path / "inside", SourceItem("../secret", 1, 1))


def test_listing_a_large_mbox_keeps_memory_flat(tmp_path: Path) -> None:
    """A 40 MB mbox is listed (and its last message read) with well under 1 MB of Python allocations."""
    message = (MAIL_FIXTURES / "three_messages.mbox").read_bytes()
    filler = b"x" * 1000 + b"\n"
    block = message.replace(b"Third message.\n", b"Third message.\n" + filler * 400)  # ~400 KB per block
    mbox = tmp_path / "big.mbox"
    with mbox.open("wb") as handle:
        for _ in range(100):
            handle.write(block)
    assert mbox.stat().st_size > 40_000_000

    tracemalloc.start()
    count = 0
    last = None
    for item in iter_mail_items(mbox):
        count += 1
        last = item
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 300
    assert peak < 1_000_000
    assert last is not None and parse_email(read_item(mbox, last)).subject == "third"


def test_items_carry_size_and_mtime_for_change_detection(tmp_path: Path) -> None:
    message = tmp_path / "1"
    message.write_bytes((MAIL_FIXTURES / "no_message_id.eml").read_bytes())
    os.utime(message, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (item,) = iter_mail_items(tmp_path)
    assert (item.size_bytes, item.mtime_ns) == (message.stat().st_size, 1_700_000_000_000_000_000)
