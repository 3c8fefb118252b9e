"""End-to-end throughput on the Enron archive: capture, extraction, matching — and how matching scales with open deals.

Usage:
    python benchmarks/extract.py [--limit N] [--engine sqlite|postgresql]
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_bench_extract]
        [--scale 0,1000,10000] [--scale-batch 5000] [--keep DIR]

1. Extracts the archive (43,410 raw messages) to a temp dir — not timed.
2. Imports it into a fresh workspace (domain enron.com) and times, separately:
   * capture     `import_mail_source` (parse + encrypt + store)
   * extraction  `extract_pending_emails` with the LocalExtractor
   * matching    `match_workspace` with embedded Qdrant + MiniLM, then `embed_deals`
                 (the `deals` and `deal_embeddings` assets: the vectors later runs search)
   and prints msgs/s for each, the end-to-end extraction + matching rate (target ≥ 200 msgs/s)
   and the deals created. Loading the MiniLM model is done (and printed) before any timing.
3. Scaling: for each N in --scale, a new workspace gets N synthetic open deals (distinct
   companies, domains and contacts, inserted into `deals`, and embedded into Qdrant — not timed),
   plus a copy of the same seeded random batch of --scale-batch extracted messages; then the
   matching of that batch is timed.

`--keep DIR` keeps VECTOROS_HOME (SQLite warehouse, secret key, Qdrant) in DIR, so
`benchmarks/real_mail_audit.py --enron-home DIR` can sample the deals without a second full run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARCHIVE = ROOT.parent / "shared" / "data" / "mail" / "enron" / "enron-inbox-125users.tar.gz"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_bench_extract"


def extract_archive(archive: Path, dest: Path, limit: int | None = None) -> tuple[Path, int]:
    """Unpacks the first `limit` files of the tarball under `dest`; returns (dest, files)."""
    with tarfile.open(archive) as tar:
        members = [m for m in tar if m.isfile()]
        if limit:
            members = members[:limit]
        tar.extractall(dest, members=members, filter="data")
    return dest, len(members)


def reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def set_home(home: Path, url: str | None) -> str:
    """Points the package at `home` (and `url`) — must run before anything imports its settings."""
    home.mkdir(parents=True, exist_ok=True)
    os.environ["VECTOROS_HOME"] = str(home)
    url = url or f"sqlite:///{home / 'vectoros.db'}"
    os.environ["VECTOROS_DATABASE_URL"] = url
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return url


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass
class PipelineFigures:
    messages: int
    capture_s: float
    extract_s: float
    match_s: float
    embed_s: float
    processed: int
    deal_related: int
    created: int
    linked: int
    merged: int
    live_deals: int
    semantic_searches: int
    quarantined: int

    def rate(self, seconds: float) -> float:
        return self.messages / seconds if seconds else float("inf")


def run_pipeline(engine: Any, workspace: Any, mailbox: Path, index: Any, embedder: Any,
                 say: Any = print) -> PipelineFigures:
    """capture → extract (LocalExtractor) → match (Qdrant + MiniLM) → embed deals, each timed."""
    from sqlalchemy import func, select

    from vectoros_pipelines.capture.mail_capture import import_mail_source
    from vectoros_pipelines.extraction.local import LocalExtractor
    from vectoros_pipelines.matching.service import match_workspace
    from vectoros_pipelines.processing.extract_pending import extract_pending_emails
    from vectoros_pipelines.storage.schema import deals
    from vectoros_pipelines.vectors.deal_embeddings import embed_deals

    t = time.perf_counter()
    capture = import_mail_source(engine, workspace, mailbox)
    capture_s = time.perf_counter() - t
    say(f"  capture    {capture.items} messages in {capture_s:7.1f}s = {capture.items / capture_s:6.0f} msgs/s "
        f"(new {capture.counts.new}, duplicates {capture.counts.unchanged}, quarantined {capture.counts.quarantined})"
        f"   [load {load_average()}]")

    extractor = LocalExtractor()
    t = time.perf_counter()
    extracted = extract_pending_emails(engine, workspace, extractor)
    extract_s = time.perf_counter() - t
    say(f"  extraction {extracted.processed} messages in {extract_s:7.1f}s = "
        f"{extracted.processed / extract_s:6.0f} msgs/s (deal-related {extracted.deal_related}, "
        f"failed {extracted.failed})   [load {load_average()}]")

    t = time.perf_counter()
    matched = match_workspace(engine, workspace, index=index, embedder=embedder)
    match_s = time.perf_counter() - t
    t = time.perf_counter()
    embedded = embed_deals(engine, workspace, index, embedder)
    embed_s = time.perf_counter() - t
    say(f"  matching   {matched.examined} messages in {match_s:7.1f}s = {matched.examined / match_s:6.0f} msgs/s "
        f"(linked {matched.linked}, created {matched.created}, merged {matched.merged}, skipped {matched.skipped}, "
        f"semantic searches {matched.semantic_searches}); embed_deals {embedded.embedded} deals in {embed_s:.1f}s"
        f"   [load {load_average()}]")
    with engine.connect() as conn:
        live = conn.execute(select(func.count()).select_from(deals).where(
            deals.c.workspace_id == workspace.id, deals.c.merged_into.is_(None))).scalar_one()
    return PipelineFigures(
        messages=extracted.processed, capture_s=capture_s, extract_s=extract_s, match_s=match_s, embed_s=embed_s,
        processed=extracted.processed, deal_related=extracted.deal_related, created=matched.created,
        linked=matched.linked, merged=matched.merged, live_deals=live, semantic_searches=matched.semantic_searches,
        quarantined=capture.counts.quarantined)


# -- scaling -------------------------------------------------------------------------------------------------

_SYLLABLES = ("ka", "lo", "ver", "tan", "mi", "sor", "del", "ra", "quin", "bex", "ol", "tri", "nu", "vo", "zen",
              "pal", "dor", "ex", "ly", "mar", "cor", "ti", "gan", "us", "fel", "ro", "sal", "ben", "ith", "ar")
_KINDS = ("Energy", "Logistics", "Partners", "Holdings", "Systems", "Resources", "Power", "Analytics", "Foods",
          "Capital", "Industries", "Networks", "Materials", "Utilities", "Chemicals")
_FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hugo", "Ines", "Jonas", "Kate", "Luis")
_LAST = ("Meyer", "Novak", "Ortiz", "Price", "Quinn", "Rossi", "Singh", "Torres", "Ulrich", "Vance", "Weber")
_STAGES = ("lead", "qualified", "proposal", "negotiation")


def synthetic_deals(workspace_id: int, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """n open deals at n distinct invented companies (distinct names, domains and contacts)."""
    rng = random.Random(seed)
    names: set[str] = set()
    rows: list[dict[str, Any]] = []
    t0 = datetime(2001, 1, 1, tzinfo=UTC)
    while len(rows) < n:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        if stem in names:
            continue
        names.add(stem)
        company = f"{stem} {rng.choice(_KINDS)}"
        domain = f"{stem.lower()}-{company.split()[1].lower()}.com"
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        opened = t0 + timedelta(days=rng.randint(0, 500))
        rows.append({
            "workspace_id": workspace_id, "name": company, "company": company, "company_key": company.lower(),
            "domain": domain, "value": float(rng.randint(5, 500) * 1000), "currency": "USD",
            "stage": rng.choice(_STAGES), "status": "open", "contact_name": f"{first} {last}",
            "contact_email": f"{first.lower()}.{last.lower()}@{domain}", "opened_at": opened,
            "last_activity_at": opened + timedelta(days=rng.randint(0, 60)), "source": "email", "confidence": 0.9,
        })
    return rows


_COPY_SKIP = {"id", "workspace_id", "integration_id", "deal_id", "matched_at", "body_ciphertext", "body_key_id"}


def scale_run(engine: Any, source_ws: Any, batch_ids: list[int], open_deals: int, index: Any, embedder: Any,
              say: Any = print) -> dict[str, float]:
    """Matches a copy of `batch_ids` (already extracted) in a workspace holding `open_deals` synthetic deals."""
    from sqlalchemy import insert, select

    from vectoros_pipelines.matching.service import match_workspace
    from vectoros_pipelines.storage.schema import captured_emails, deals
    from vectoros_pipelines.storage.workspaces import create_workspace
    from vectoros_pipelines.vectors.deal_embeddings import embed_deals

    with engine.begin() as conn:
        ws = create_workspace(conn, f"Enron scale {open_deals}", ["enron.com"], "America/Chicago")
        rows = synthetic_deals(ws.id, open_deals)
        for start in range(0, len(rows), 1000):
            conn.execute(insert(deals), rows[start:start + 1000])
        columns = [c for c in captured_emails.c if c.name not in _COPY_SKIP]
        copied = 0
        for start in range(0, len(batch_ids), 500):
            chunk = conn.execute(select(*columns).where(captured_emails.c.workspace_id == source_ws.id,
                                                        captured_emails.c.id.in_(batch_ids[start:start + 500])))
            items = [dict(r._mapping) | {"workspace_id": ws.id} for r in chunk]
            conn.execute(insert(captured_emails), items)
            copied += len(items)
    t = time.perf_counter()
    seeded = embed_deals(engine, ws, index, embedder)
    seed_s = time.perf_counter() - t
    t = time.perf_counter()
    report = match_workspace(engine, ws, index=index, embedder=embedder)
    match_s = time.perf_counter() - t
    t = time.perf_counter()
    embedded = embed_deals(engine, ws, index, embedder)
    embed_s = time.perf_counter() - t
    figures = {"open_deals": open_deals, "messages": copied, "match_s": match_s, "embed_s": embed_s,
               "match_rate": copied / match_s, "match_embed_rate": copied / (match_s + embed_s),
               "created": report.created, "linked": report.linked, "semantic": report.semantic_searches,
               "reembedded": embedded.embedded}
    say(f"  {open_deals:>6} open deals (seed vectors {seeded.embedded} in {seed_s:.0f}s, not timed): "
        f"{copied} msgs matched in {match_s:.1f}s = {copied / match_s:.0f} msgs/s; + embed_deals "
        f"{embedded.embedded} in {embed_s:.1f}s = {figures['match_embed_rate']:.0f} msgs/s; created {report.created}, "
        f"linked {report.linked}, semantic searches {report.semantic_searches}   [load {load_average()}]")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files of the archive")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--scale", default="0,1000,10000", help="open-deal counts for the scaling runs ('' = none)")
    parser.add_argument("--scale-batch", type=int, default=5000, help="messages matched in each scaling run")
    parser.add_argument("--keep", type=Path, default=None, help="keep VECTOROS_HOME (DB, key, Qdrant) here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        t = time.perf_counter()
        mailbox, files = extract_archive(ARCHIVE, tmp_path / "enron", args.limit)
        print(f"extracted {files} files in {time.perf_counter() - t:.1f}s (not counted)")
        home = args.keep or tmp_path / "home"
        if args.keep and args.keep.exists():
            shutil.rmtree(args.keep)
        if args.engine == "postgresql":
            reset_pg(args.pg_url)
        url = set_home(home, args.pg_url if args.engine == "postgresql" else None)

        from vectoros_pipelines.storage.db import get_engine
        from vectoros_pipelines.storage.workspaces import create_workspace
        from vectoros_pipelines.vectors.embedder import shared_embedder
        from vectoros_pipelines.vectors.index import VectorIndex

        engine = get_engine(url)
        index = VectorIndex.local(home / "qdrant")
        embedder = shared_embedder()
        t = time.perf_counter()
        embedder.encode(["warm up"])
        print(f"MiniLM loaded in {time.perf_counter() - t:.1f}s (not counted); engine {args.engine}; "
              f"{os.cpu_count()} cores; load average before: {load_average()}")
        with engine.begin() as conn:
            workspace = create_workspace(conn, "Enron", ["enron.com"], "America/Chicago")
        print(f"pipeline on {files} Enron messages ({args.engine}, workspace domain enron.com):")
        fig = run_pipeline(engine, workspace, mailbox, index, embedder)
        e2e = fig.extract_s + fig.match_s + fig.embed_s
        print(f"  end-to-end extraction + matching (+ embed_deals): {fig.messages} messages in {e2e:.1f}s = "
              f"{fig.rate(e2e):.0f} msgs/s (target >= 200)")
        print(f"  deals created {fig.created} (live after auto-merge {fig.live_deals}, merged {fig.merged}); "
              f"deal-related per extractor {fig.deal_related}")

        scales = [int(s) for s in args.scale.split(",") if s.strip()]
        results = []
        if scales:
            from sqlalchemy import select

            from vectoros_pipelines.storage.schema import captured_emails

            with engine.connect() as conn:
                ids = [r[0] for r in conn.execute(select(captured_emails.c.id).where(
                    captured_emails.c.workspace_id == workspace.id, captured_emails.c.status == "processed"))]
            batch = sorted(random.Random(42).sample(ids, min(args.scale_batch, len(ids))))
            print(f"scaling: the same seeded random batch of {len(batch)} extracted messages, matched in a workspace "
                  f"with N synthetic open deals (+ their Qdrant vectors):")
            for n in scales:
                results.append(scale_run(engine, workspace, batch, n, index, embedder))

        print()
        print(f"| stage | messages | seconds | msgs/s |   ({args.engine}, load average now {load_average()})")
        print("| --- | ---: | ---: | ---: |")
        print(f"| capture (parse+encrypt+store) | {fig.messages} | {fig.capture_s:.1f} | {fig.rate(fig.capture_s):.0f} |")
        print(f"| extraction (LocalExtractor) | {fig.messages} | {fig.extract_s:.1f} | {fig.rate(fig.extract_s):.0f} |")
        print(f"| matching (match_workspace) | {fig.messages} | {fig.match_s:.1f} | {fig.rate(fig.match_s):.0f} |")
        print(f"| matching + embed_deals | {fig.messages} | {fig.match_s + fig.embed_s:.1f} | "
              f"{fig.rate(fig.match_s + fig.embed_s):.0f} |")
        print(f"| **extraction + matching end to end** | {fig.messages} | {e2e:.1f} | **{fig.rate(e2e):.0f}** |")
        print(f"deals created: {fig.created}; live after merge: {fig.live_deals}")
        if results:
            print()
            print("| open deals | messages | match msgs/s | match + embed msgs/s | created | semantic searches |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: |")
            for r in results:
                print(f"| {r['open_deals']} | {r['messages']} | {r['match_rate']:.0f} | {r['match_embed_rate']:.0f} "
                      f"| {r['created']} | {r['semantic']} |")
        index.close()
        engine.dispose()
        if args.keep:
            print(f"kept VECTOROS_HOME in {args.keep} (workspace id {workspace.id})")


if __name__ == "__main__":
    main()
