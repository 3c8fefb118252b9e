"""Backfill throughput: the Enron archive (43,410 real messages) through parse + encrypt + store.

Usage: python benchmarks/backfill.py [--limit N] [--engines sqlite,postgresql]
       [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_bench]

Prints messages/s for each engine and the process RSS at each quarter of the
mailbox (flat memory = streaming works) plus the peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARCHIVE = ROOT.parent / "shared" / "data" / "mail" / "enron" / "enron-inbox-125users.tar.gz"


def extract(dest: Path, limit: int | None) -> Path:
    with tarfile.open(ARCHIVE) as tar:
        members = [m for m in tar if m.isfile()]
        if limit:
            members = members[:limit]
        tar.extractall(dest, members=members, filter="data")
    return dest


def reset_pg(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def run(engine_name: str, url: str, mailbox: Path, total: int, home: Path) -> None:
    os.environ["VECTOROS_HOME"] = str(home)
    os.environ["VECTOROS_DATABASE_URL"] = url
    from vectoros_pipelines.capture.mail_capture import import_mail_source
    from vectoros_pipelines.storage.db import get_engine
    from vectoros_pipelines.storage.workspaces import create_workspace

    engine = get_engine(url)
    with engine.begin() as conn:
        workspace = create_workspace(conn, f"Enron {engine_name}", ["enron.com"], "America/Chicago")
    process = psutil.Process()
    done = 0
    marks: list[str] = []
    next_mark = total / 4

    def progress(n: int) -> None:
        nonlocal done, next_mark
        done += n
        if done >= next_mark:
            workers = sum(c.memory_info().rss for c in process.children(recursive=True))
            marks.append(f"{done}: {process.memory_info().rss / 2**20:.0f} MiB"
                         f" (+ parse workers {workers / 2**20:.0f} MiB)")
            next_mark += total / 4

    started = time.perf_counter()
    report = import_mail_source(engine, workspace, mailbox, progress=progress)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    second = import_mail_source(engine, workspace, mailbox)
    rescan = time.perf_counter() - again
    c = report.counts
    print(f"{engine_name:10s} {report.items} messages in {seconds:.1f}s = {report.items / seconds:.0f} messages/s "
          f"(new {c.new}, duplicates {c.unchanged}, quarantined {c.quarantined}); "
          f"re-import of the unchanged mailbox: {rescan:.1f}s, {second.counts.new} new")
    print(f"{'':10s} RSS by progress: {'; '.join(marks)}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        t = time.perf_counter()
        mailbox = extract(tmp_path / "enron", args.limit)
        total = sum(1 for p in mailbox.rglob("*") if p.is_file())
        print(f"extracted {total} files in {time.perf_counter() - t:.1f}s (not counted)")
        for name in args.engines.split(","):
            if name == "sqlite":
                url = f"sqlite:///{tmp_path / 'bench.db'}"
            else:
                reset_pg(args.pg_url)
                url = args.pg_url
            run(name, url, mailbox, total, tmp_path / f"home-{name}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB (largest parse worker {child:.0f} MiB)")


if __name__ == "__main__":
    main()
