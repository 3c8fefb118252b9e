"""Mail file sources: a directory of RFC 822 files, a Maildir, or an mbox file.

Everything here streams: listing a 150 MB mbox reads it line by line and keeps only
the current offsets, so memory stays flat however large the archive is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from vectoros_pipelines.sources import SourceItem

__all__ = ["MailSourceKind", "SourceItem", "detect_mail_source", "iter_mail_items", "read_item"]

MailSourceKind = Literal["mbox", "maildir", "directory", "file"]

# Files that mail programs keep next to messages: indexes, UID lists, Finder litter.
_NOISE_FILES = frozenset(
    {
        ".ds_store",
        "thumbs.db",
        "desktop.ini",
        "maildirfolder",
        "subscriptions",
        ".uidvalidity",
        ".mh_sequences",
        "courierimapuiddb",
        "courierimapkeywords",
        "courierimapacl",
        "courierimapsubscribed",
    }
)
_NOISE_PREFIXES = ("dovecot", "._", ".imap", ".mbsync")
# Exported data that sits next to mail in real folders (an index.csv, a calendar); never a message.
_NOT_MAIL_SUFFIXES = frozenset(
    {".csv", ".json", ".md", ".pdf", ".zip", ".gz", ".tgz", ".tar", ".png", ".jpg", ".jpeg", ".gif", ".ics", ".db"}
)
_NOISE_DIRS = frozenset({"__macosx", ".git", ".svn", "courierimapkeywords"})

# RFC 4155 separator: "From <sender> <asctime>" — e.g. "From a@b Thu Jan  1 00:00:00 2015",
# Google Takeout's "From 1595604871717871433@xxx Mon Mar 09 21:02:49 +0000 2020" and
# Thunderbird's "From - Mon Jun 02 13:24:37 2014". Requiring the date keeps a body line
# that merely begins with "From " (unescaped by a sloppy writer) inside its message.
_SEPARATOR = re.compile(rb"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,? +\w+ +\d{1,2},? +\d{1,2}:\d\d")
_SEPARATOR_LOOSE = re.compile(rb"^From \S+ .*\b(?:19|20)\d\d\s*$")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)
_DIGITS = re.compile(r"(\d+)")


def detect_mail_source(path: Path | str) -> MailSourceKind:
    """What kind of mail source `path` is; raises FileNotFoundError when it does not exist."""
    path = Path(path)
    if path.is_file():
        return "mbox" if _is_mbox(path) else "file"
    if path.is_dir():
        return "maildir" if _is_maildir(path) else "directory"
    raise FileNotFoundError(f"mail source not found: {path}")


def iter_mail_items(path: Path | str) -> Iterator[SourceItem]:
    """Every message in the source, in a stable order, without reading message bodies.

    Directories are searched recursively and any file name counts (Enron messages are
    called "12"); mbox files met on the way are split into their messages; Maildir
    tmp/ folders and mail-program index files are skipped.
    """
    root = Path(path)
    if root.is_file():
        yield from _file_items(root, root.name)
        return
    if not root.is_dir():
        raise FileNotFoundError(f"mail source not found: {root}")
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        in_maildir = _is_maildir(here)
        # Maildir delivers into tmp/ and then renames into new/: tmp/ holds half-written files.
        subdirs[:] = sorted(
            (d for d in subdirs if d.lower() not in _NOISE_DIRS and not (in_maildir and d == "tmp")),
            key=_natural,
        )
        if in_maildir:
            continue  # a Maildir's own top-level files are its index, not messages
        for name in sorted(files, key=_natural):
            if _is_noise(name):
                continue
            file = here / name
            if file.is_symlink() or not file.is_file():
                continue
            yield from _file_items(file, file.relative_to(root).as_posix())


def read_item(root: Path | str, item: SourceItem, limit: int | None = None) -> bytes:
    """The raw bytes of one message (for an mbox entry: without its "From " line).

    `limit` caps how much is read, for callers that need only the header block.
    """
    root = Path(root)
    if root.is_file():
        file = root
    else:
        relative = item.locator.rsplit("#", 1)[0] if item.start_offset is not None else item.locator
        file = root / relative
        if not file.resolve().is_relative_to(root.resolve()):
            raise ValueError(f"locator {item.locator!r} points outside the source {root}")
    with file.open("rb") as handle:
        if item.start_offset is None:
            return handle.read() if limit is None else handle.read(limit)
        handle.seek(item.start_offset)
        length = (item.end_offset if item.end_offset is not None else item.start_offset + item.size_bytes) - item.start_offset
        if limit is not None:
            length = min(length, limit + 1024)  # the separator line does not count against the limit
        data = handle.read(length)
    return _unwrap_mbox_entry(data)


# --- mbox ----------------------------------------------------------------------


def iter_mbox_entries(file: Path, locator_path: str) -> Iterator[SourceItem]:
    """Byte ranges of the messages in one mbox file, found by reading it line by line."""
    mtime_ns = file.stat().st_mtime_ns
    start: int | None = None
    offset = 0
    previous_blank = True
    with file.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From ") and (
                start is None or _SEPARATOR.match(line) or (previous_blank and _SEPARATOR_LOOSE.match(line))
            ):
                if start is not None:
                    yield _mbox_item(locator_path, start, offset, mtime_ns)
                start = offset
            previous_blank = line in (b"\n", b"\r\n")
            offset += len(line)
    if start is not None:
        yield _mbox_item(locator_path, start, offset, mtime_ns)


def _mbox_item(locator_path: str, start: int, end: int, mtime_ns: int) -> SourceItem:
    return SourceItem(
        locator=f"{locator_path}#{start}", size_bytes=end - start, mtime_ns=mtime_ns, start_offset=start, end_offset=end
    )


def _unwrap_mbox_entry(data: bytes) -> bytes:
    """Drop the "From " separator line and the blank line that precedes the next one;
    undo mboxrd quoting (">From " in a body was written for "From ")."""
    if data.startswith(b"From "):
        newline = data.find(b"\n")
        data = data[newline + 1 :] if newline >= 0 else b""
    if data.endswith(b"\r\n\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n\n"):
        data = data[:-1]
    if b">From " in data:
        data = _ESCAPED_FROM.sub(rb"\1", data)
    return data


# --- helpers -------------------------------------------------------------------


def _file_items(file: Path, locator: str) -> Iterator[SourceItem]:
    if _is_mbox(file):
        yield from iter_mbox_entries(file, locator)
        return
    stat = file.stat()
    yield SourceItem(locator=locator, size_bytes=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _is_mbox(file: Path) -> bool:
    try:
        with file.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _is_maildir(directory: Path) -> bool:
    return (directory / "cur").is_dir() or (directory / "new").is_dir()


def _is_noise(name: str) -> bool:
    lowered = name.lower()
    return (
        lowered in _NOISE_FILES
        or lowered.startswith(_NOISE_PREFIXES)
        or os.path.splitext(lowered)[1] in _NOT_MAIL_SUFFIXES
    )


def _natural(name: str) -> list[int | str]:
    """Sort key putting "2" before "10", as a person reading the folder expects."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]
