"""Prints parse_email throughput over the whole Enron archive (single process).

    python benchmarks/parse_speed.py [--limit N]

Members are read straight from the tarball, so the figure includes gzip+tar
reading; the parse-only rate (time inside parse_email) is printed as well.
"""

from __future__ import annotations

import argparse
import tarfile
import time
from pathlib import Path

from vectoros_pipelines.mail.parse import MailParseError, parse_email

ARCHIVE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mail" / "enron" / "enron-inbox-125users.tar.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="stop after N messages (0 = all)")
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    args = parser.parse_args()

    parsed = rejected = 0
    parse_seconds = 0.0
    started = time.perf_counter()
    with tarfile.open(args.archive, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or not member.name.startswith("maildir/"):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            raw = handle.read()
            t0 = time.perf_counter()
            try:
                parse_email(raw)
                parsed += 1
            except MailParseError:
                rejected += 1
            parse_seconds += time.perf_counter() - t0
            if args.limit and parsed + rejected >= args.limit:
                break
    total = time.perf_counter() - started
    count = parsed + rejected
    print(f"messages: {count} (parsed {parsed}, rejected as not mail {rejected})")
    print(f"parse_email only: {count / parse_seconds:,.0f} messages/s ({parse_seconds:.1f} s)")
    print(f"read from tar.gz + parse: {count / total:,.0f} messages/s ({total:.1f} s)")


if __name__ == "__main__":
    main()
