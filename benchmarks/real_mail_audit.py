"""How often real, unlabelled mail turns into deals: usrp-users (should be ~never) and Enron (read a sample).

Usage:
    python benchmarks/real_mail_audit.py [--only usrp|enron] [--enron-limit N] [--enron-home DIR]
        [--sample 30] [--seed 2001] [--out benchmarks/out/enron_deal_sample.md]

(a) usrp-users: the 1,088 messages of a vendor's support mailing list, imported into a
    workspace whose own domain is ettus.com (the vendor). Extraction (LocalExtractor) and
    matching (Qdrant local + MiniLM); prints threads total, threads with a message linked to
    a deal, the share (target <= 1 %) and every deal created (company, subject of its first message).
(b) Enron: the full archive (or --enron-limit N files) through the same pipeline; prints the
    deals created and writes a seeded random sample of --sample deals (company, domain, value,
    stage, status, contact, and subject + first 300 characters of the first 2 linked messages)
    to --out (benchmarks/out is git-ignored: the mail is real people's mail).
    `--enron-home DIR` reads the warehouse a previous `benchmarks/extract.py --keep DIR` left
    instead of running the 43k-message pipeline a second time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extract import ARCHIVE as ENRON_ARCHIVE  # noqa: E402
from extract import extract_archive, load_average, run_pipeline, set_home  # noqa: E402

USRP_ARCHIVE = ROOT.parent / "shared" / "data" / "mail" / "usrp-users" / "usrp-users-2025-2026.tar.gz"
DEFAULT_OUT = ROOT / "benchmarks" / "out" / "enron_deal_sample.md"


def _threads(engine: Any, workspace_id: int) -> tuple[int, int, dict[int, str]]:
    """(threads, threads with a message linked to a live or merged deal, deal id -> subject of its first message)."""
    from sqlalchemy import select

    from vectoros_pipelines.storage.schema import captured_emails

    threads: set[str] = set()
    with_deal: set[str] = set()
    first_subject: dict[int, str] = {}
    with engine.connect() as conn:
        for key, message_key, deal_id, subject in conn.execute(
            select(captured_emails.c.thread_key, captured_emails.c.message_key, captured_emails.c.deal_id,
                   captured_emails.c.subject)
            .where(captured_emails.c.workspace_id == workspace_id, captured_emails.c.status == "processed")
            .order_by(captured_emails.c.sent_at, captured_emails.c.id)
        ):
            thread = key or message_key
            threads.add(thread)
            if deal_id is not None:
                with_deal.add(thread)
                first_subject.setdefault(deal_id, subject or "")
    return len(threads), len(with_deal), first_subject


def audit_usrp(engine: Any, index: Any, embedder: Any, tmp: Path) -> None:
    from vectoros_pipelines.storage.deals import export_deals
    from vectoros_pipelines.storage.workspaces import create_workspace

    mailbox, files = extract_archive(USRP_ARCHIVE, tmp / "usrp")
    # Import the messages only (the tarball also holds SOURCE.txt and index.csv).
    mail_dir = mailbox / "eml_2025_2026"
    with engine.begin() as conn:
        ws = create_workspace(conn, "Ettus (usrp-users)", ["ettus.com"], "America/New_York")
    print(f"(a) usrp-users: {sum(1 for _ in mail_dir.glob('*.eml'))} .eml files, workspace domain ettus.com")
    fig = run_pipeline(engine, ws, mail_dir, index, embedder)
    threads, with_deal, first_subject = _threads(engine, ws.id)
    share = with_deal / threads if threads else 0.0
    print(f"  threads total {threads}; threads with a message linked to a deal {with_deal}; "
          f"share {share:.2%} (target <= 1 %); deals created {fig.created} (live {fig.live_deals}, "
          f"merged {fig.merged}); extractor called {fig.deal_related} of {fig.messages} messages deal-related")
    with engine.connect() as conn:
        live = export_deals(conn, ws.id)
    for deal in live:
        print(f"    deal {deal['id']}: company {deal['company']!r} ({deal['domain']}), first message subject "
              f"{first_subject.get(deal['id'], '')!r}")


def _first_messages(engine: Any, workspace_id: int, deal_ids: list[int], per_deal: int = 2) -> dict[int, list[Any]]:
    from sqlalchemy import select

    from vectoros_pipelines.processing.rows import email_from_row
    from vectoros_pipelines.security.crypto import load_cipher
    from vectoros_pipelines.storage.schema import captured_emails

    cipher = load_cipher()
    out: dict[int, list[Any]] = {d: [] for d in deal_ids}
    with engine.connect() as conn:
        for row in conn.execute(
            select(captured_emails).where(captured_emails.c.workspace_id == workspace_id,
                                          captured_emails.c.deal_id.in_(deal_ids))
            .order_by(captured_emails.c.sent_at, captured_emails.c.id)
        ):
            if len(out[row.deal_id]) < per_deal:
                out[row.deal_id].append(email_from_row(row, cipher))
    return out


def write_enron_sample(engine: Any, workspace_id: int, n: int, seed: int, out: Path) -> int:
    from vectoros_pipelines.storage.deals import export_deals

    with engine.connect() as conn:
        live = export_deals(conn, workspace_id)
    sample = sorted(random.Random(seed).sample(live, min(n, len(live))), key=lambda d: d["id"])
    messages = _first_messages(engine, workspace_id, [d["id"] for d in sample])
    lines = [f"# Enron: {len(sample)} of {len(live)} live deals (random.Random({seed}))", "",
             "Real people's mail — internal only, never commit or publish (benchmarks/out is git-ignored).", ""]
    for i, deal in enumerate(sample, 1):
        value = f"{deal['value']:,.0f} {deal['currency'] or ''}".strip() if deal["value"] is not None else "—"
        lines += [f"## {i}. deal {deal['id']}: {deal['company'] or '—'}", "",
                  f"* domain: {deal['domain'] or '—'} · value: {value} · stage: {deal['stage']} · "
                  f"status: {deal['status']} · contact: {deal['contact_email'] or '—'} · "
                  f"linked messages: {len(deal['messages'])}", ""]
        for m in messages.get(deal["id"], []):
            body = " ".join((m.body_text or "")[:300].split())
            lines += [f"> **{m.subject or '(no subject)'}** — {m.sent_at:%Y-%m-%d} from "
                      f"{m.from_.email if m.from_ else '?'}", ">", f"> {body}", ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    return len(live)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("usrp", "enron"), default=None)
    parser.add_argument("--enron-limit", type=int, default=None)
    parser.add_argument("--enron-home", type=Path, default=None,
                        help="VECTOROS_HOME kept by benchmarks/extract.py --keep (skip the Enron pipeline run)")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2001)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        home = args.enron_home if (args.enron_home and args.only == "enron") else tmp_path / "home"
        url = set_home(home, None)
        from vectoros_pipelines.storage.db import get_engine
        from vectoros_pipelines.storage.workspaces import get_workspace, list_workspaces
        from vectoros_pipelines.vectors.embedder import shared_embedder
        from vectoros_pipelines.vectors.index import VectorIndex

        engine = get_engine(url)
        index = VectorIndex.local(home / "qdrant")
        embedder = shared_embedder()
        embedder.encode(["warm up"])

        if args.only in (None, "usrp"):
            audit_usrp(engine, index, embedder, tmp_path)

        if args.only in (None, "enron"):
            if args.enron_home and args.only == "enron":
                with engine.connect() as conn:
                    ws = next(w for w in list_workspaces(conn) if w.name == "Enron")
                print(f"(b) Enron: reading the warehouse in {args.enron_home} (workspace {ws.slug})")
            else:
                from vectoros_pipelines.storage.workspaces import create_workspace

                t = time.perf_counter()
                mailbox, files = extract_archive(ENRON_ARCHIVE, tmp_path / "enron", args.enron_limit)
                print(f"(b) Enron: extracted {files} files in {time.perf_counter() - t:.0f}s (not counted)")
                with engine.begin() as conn:
                    ws = create_workspace(conn, "Enron", ["enron.com"], "America/Chicago")
                    ws = get_workspace(conn, ws.slug)
                run_pipeline(engine, ws, mailbox, index, embedder)
            threads, with_deal, _ = _threads(engine, ws.id)
            live = write_enron_sample(engine, ws.id, args.sample, args.seed, args.out)
            from sqlalchemy import func, select

            from vectoros_pipelines.storage.schema import captured_emails, deals
            with engine.connect() as conn:
                created = conn.execute(select(func.count()).select_from(deals).where(
                    deals.c.workspace_id == ws.id)).scalar_one()
                messages = conn.execute(select(func.count()).select_from(captured_emails).where(
                    captured_emails.c.workspace_id == ws.id)).scalar_one()
                linked = conn.execute(select(func.count()).select_from(captured_emails).where(
                    captured_emails.c.workspace_id == ws.id, captured_emails.c.deal_id.is_not(None))).scalar_one()
            print(f"  {messages} messages; deals created {created} (live after auto-merge {live}); "
                  f"messages linked to deals {linked} ({linked / messages:.1%}); threads {threads}, "
                  f"with a deal {with_deal} ({with_deal / threads:.1%})")
            print(f"  sample of {min(args.sample, live)} deals written to {args.out}")
        index.close()
        engine.dispose()
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
