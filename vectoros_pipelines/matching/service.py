"""Matching a workspace's newly extracted mail and meetings to deals, end to end.

Reads the captured rows that were extracted since they were last matched,
decides for each (oldest first) with the linker, writes through
`storage.deal_writes`, then merges duplicates among the deals it touched.
Running it again with nothing new changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, String, cast, or_, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.matching.deal_index import DealIndex
from vectoros_pipelines.matching.deal_state import DealFields, fold_evidence, stated_outcome
from vectoros_pipelines.matching.duplicates import find_duplicates
from vectoros_pipelines.matching.evidence import (
    MessageFacts,
    SourceRef,
    WorkspaceParties,
    facts_from_email_row,
    facts_from_event_row,
)
from vectoros_pipelines.matching.linker import (
    Decision,
    MatchPolicy,
    decide,
    gather_candidates,
    is_distinctive_subject,
    primary_contact,
    semantic_candidates,
    shows_deal_signal,
)
from vectoros_pipelines.matching.products import product_items
from vectoros_pipelines.storage import deal_writes
from vectoros_pipelines.storage.schema import (
    captured_calendar_events,
    captured_emails,
    deals,
    users,
    workspaces,
)
from vectoros_pipelines.storage.workspaces import Workspace
from vectoros_pipelines.vectors.embedder import Embedder
from vectoros_pipelines.vectors.index import VectorIndex

log = logging.getLogger(__name__)

CONTACT_LOOKBACK = timedelta(days=60)
VENDOR_LOOKBACK = timedelta(days=365)
VENDOR_CLASSIFIER_MAX = 0.5  # the classifier's own probability (before the buyer-side cap) below which a seller is a vendor
CHUNK = 500  # messages per transaction: small enough to retry, large enough to amortise commits

_EMAIL_COLUMNS = (
    captured_emails.c.id, captured_emails.c.message_key, captured_emails.c.subject,
    captured_emails.c.normalized_subject, captured_emails.c.thread_key, captured_emails.c.in_reply_to,
    captured_emails.c.references, captured_emails.c.participants, captured_emails.c.direction,
    captured_emails.c.sent_at, captured_emails.c.is_deal_related, captured_emails.c.confidence,
    captured_emails.c.deal_id, captured_emails.c.extracted_data,
)
_EVENT_COLUMNS = (
    captured_calendar_events.c.id, captured_calendar_events.c.uid, captured_calendar_events.c.summary,
    captured_calendar_events.c.starts_at, captured_calendar_events.c.organizer_email,
    captured_calendar_events.c.organizer_name, captured_calendar_events.c.attendees,
    captured_calendar_events.c.is_deal_related, captured_calendar_events.c.confidence,
    captured_calendar_events.c.deal_id, captured_calendar_events.c.extracted_data,
    captured_calendar_events.c.event_status,
)
_ACTIVITY_KIND = {"inbound": "email_in", "outbound": "email_out", "internal": "email_internal",
                  "meeting": "meeting"}


@dataclass
class MatchReport:
    examined: int = 0
    linked: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0
    semantic_searches: int = 0
    backfilled: int = 0  # earlier-skipped messages that joined when their thread linked (counted in linked)
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # which evidence decided the links

    def as_metadata(self) -> dict[str, int | float]:
        return {"examined": self.examined, "linked": self.linked, "created": self.created, "merged": self.merged,
                "skipped": self.skipped, "semantic_searches": self.semantic_searches, "backfilled": self.backfilled,
                "seconds": round(self.seconds, 3)}


def _pending(table: Any) -> Any:
    # Re-extraction (a changed message) sets a newer extracted_at: such rows are matched again.
    return (table.c.status == "processed") & or_(
        table.c.matched_at.is_(None), table.c.extracted_at > table.c.matched_at)


def load_pending(conn: Connection, workspace_id: int, parties: WorkspaceParties) -> list[MessageFacts]:
    """This workspace's extracted but unmatched emails and events, oldest first."""
    facts = [facts_from_email_row(r._mapping, parties) for r in conn.execute(
        select(*_EMAIL_COLUMNS).where(captured_emails.c.workspace_id == workspace_id, _pending(captured_emails)))]
    facts += [facts_from_event_row(r._mapping, parties) for r in conn.execute(
        select(*_EVENT_COLUMNS).where(captured_calendar_events.c.workspace_id == workspace_id,
                                      _pending(captured_calendar_events)))]
    facts.sort(key=lambda f: (f.occurred_at, f.ref.kind, f.ref.row_id))
    return facts


def workspace_parties(conn: Connection, workspace: Workspace) -> WorkspaceParties:
    emails = frozenset(r[0].lower() for r in conn.execute(
        select(users.c.email).where(users.c.workspace_id == workspace.id)))
    return WorkspaceParties(tuple(workspace.domains), emails)


class _Session:
    """One matching run: the deal index, each touched deal's evidence, and writes batched per chunk."""

    def __init__(self, conn: Connection, workspace_id: int, parties: WorkspaceParties, *,
                 load_index: bool = True) -> None:
        self.workspace_id = workspace_id
        self.parties = parties
        self.index = DealIndex()
        self.corrections: dict[int, dict[str, Any]] = {}
        self.evidence: dict[int, dict[SourceRef, MessageFacts]] = {}
        self.dirty: set[int] = set()
        self.additions: dict[int, dict[SourceRef, MessageFacts]] = {}
        self.removals: dict[int, set[SourceRef]] = {}
        self.touched: set[int] = set()
        self.pending_links: dict[int, list[deal_writes.LinkedItem]] = {}
        self.unlinked: list[SourceRef] = []
        # Skipped messages by thread key and subject: a thread whose first message the classifier
        # missed joins the deal as soon as a later message of the thread links.
        self.skipped_by_key: dict[str, list[MessageFacts]] = {}
        self.skipped_by_subject: dict[str, list[MessageFacts]] = {}
        self.skipped_by_contact: dict[str, list[MessageFacts]] = {}
        self.backfilled: set[SourceRef] = set()
        self.earlier_unlinked_threads: set[str] = set()
        self.buyer_threads: set[str] = set()  # thread keys of this run's mail where a vendor sells to us
        self.vendors: set[str] = set()  # addresses that sold to us: meeting or mailing them starts no sales deal
        self.team_notes: list[MessageFacts] = []  # this run's skipped notes among the team, for deals created later
        if load_index:
            self._load(conn)

    def _load(self, conn: Connection) -> None:
        # Thread keys of mail an earlier run left unlinked: only a hit here costs a query (backfill).
        self.earlier_unlinked_threads = {r[0] for r in conn.execute(
            select(captured_emails.c.thread_key).where(
                captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.is_(None),
                captured_emails.c.status == "processed", captured_emails.c.matched_at.is_not(None))) if r[0]}
        # Who sold to us in recent mail an earlier run matched: a meeting with them is not a sales deal.
        since = datetime.now(UTC) - VENDOR_LOOKBACK
        for row in conn.execute(select(*_EMAIL_COLUMNS).where(
                captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.is_(None),
                captured_emails.c.sent_at >= since,
                cast(captured_emails.c.extracted_data, String).like("%we are the buyer%"))):
            facts = facts_from_email_row(row._mapping, self.parties)
            if _classifier_probability(facts) < VENDOR_CLASSIFIER_MAX:
                self.vendors.update(facts.external_emails)
        for row in conn.execute(select(deals).where(deals.c.workspace_id == self.workspace_id,
                                                    deals.c.merged_into.is_(None))):
            fields = DealFields(**{name: getattr(row, name) for name in DealFields.__dataclass_fields__
                                   if name != "sources"})
            self.index.set_fields(row.id, fields, product_items(row.product))
            self.corrections[row.id] = dict(row.corrections or {})
        for row in conn.execute(select(*_EMAIL_COLUMNS).where(
                captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.is_not(None))):
            if row.deal_id in self.index.profiles:
                self.index.add_message(row.deal_id, facts_from_email_row(row._mapping, self.parties))
        for row in conn.execute(select(*_EVENT_COLUMNS).where(
                captured_calendar_events.c.workspace_id == self.workspace_id,
                captured_calendar_events.c.deal_id.is_not(None))):
            if row.deal_id in self.index.profiles:
                self.index.add_message(row.deal_id, facts_from_event_row(row._mapping, self.parties))

    def deal_evidence(self, conn: Connection, deal_id: int) -> dict[SourceRef, MessageFacts]:
        """The messages linked to a deal (as the warehouse has them, plus this run's unflushed links)."""
        self.load_evidence(conn, [deal_id])
        return self.evidence[deal_id]

    def load_evidence(self, conn: Connection, deal_ids: Iterable[int]) -> None:
        """Reads the linked messages of deals first touched in this run: one query per 500 deals."""
        missing = sorted({d for d in deal_ids if d not in self.evidence})
        for start in range(0, len(missing), 500):
            ids = missing[start:start + 500]
            loaded: dict[int, dict[SourceRef, MessageFacts]] = {d: {} for d in ids}
            for row in conn.execute(select(*_EMAIL_COLUMNS).where(
                    captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.in_(ids))):
                f = facts_from_email_row(row._mapping, self.parties)
                loaded[row.deal_id][f.ref] = f
            for row in conn.execute(select(*_EVENT_COLUMNS).where(
                    captured_calendar_events.c.workspace_id == self.workspace_id,
                    captured_calendar_events.c.deal_id.in_(ids))):
                f = facts_from_event_row(row._mapping, self.parties)
                loaded[row.deal_id][f.ref] = f
            for deal_id, items in loaded.items():
                # Links made earlier in this run and not yet written are added on top.
                items.update(self.additions.pop(deal_id, {}))
                for ref in self.removals.pop(deal_id, set()):
                    items.pop(ref, None)
                self.evidence[deal_id] = items

    def skip(self, facts: MessageFacts) -> None:
        self.unlinked.append(facts.ref)
        if _buyer_side(facts):
            self.buyer_threads.update(facts.own_keys, facts.thread_refs)
            if _classifier_probability(facts) < VENDOR_CLASSIFIER_MAX:
                # A customer's "please find our proposal" on the MSA also reads buyer-side; only when the
                # classifier agrees it is no sale is the sender a vendor of ours.
                self.vendors.update(facts.external_emails)
            return
        for key in (*facts.own_keys, *facts.thread_refs):
            self.skipped_by_key.setdefault(key, []).append(facts)
        if facts.subject_key and facts.external_emails:
            self.skipped_by_subject.setdefault(facts.subject_key, []).append(facts)
        contact = primary_contact(facts)
        if contact:
            self.skipped_by_contact.setdefault(contact, []).append(facts)
        if facts.ref.kind == "email" and facts.is_internal and facts.with_team:
            self.team_notes.append(facts)

    def link_thread(self, conn: Connection, deal_id: int, facts: MessageFacts, *,
                    adopt_contact_mail: bool = False) -> None:
        """Links a message and every earlier-skipped message of its thread (this run's and earlier runs').

        A new deal also adopts the recent mail its contact sent before it existed: that mail would
        have linked by contact had it arrived a day later, and the order of arrival is no evidence.
        """
        new_thread = self.index.thread_deal(facts) is None
        self.link(conn, deal_id, facts)
        if not new_thread:
            return
        todo = [facts]
        contact = primary_contact(facts)
        if adopt_contact_mail and contact:
            # Only mail that itself shows deal signals, or shares the new deal's subject: the contact's
            # other correspondence (another matter, lunch, a newsletter) is not swept into the deal.
            todo += [m for m in self.skipped_by_contact.get(contact, [])
                     if timedelta(0) <= facts.occurred_at - m.occurred_at <= CONTACT_LOOKBACK
                     and m.ref not in self.backfilled
                     and (shows_deal_signal(m) or self._shares_deal_subject(deal_id, m))]
            for m in todo[1:]:
                self.backfilled.add(m.ref)
                self.link(conn, deal_id, m)
        while todo:
            current = todo.pop()
            for other in self._thread_mates(conn, current):
                if other.ref in self.backfilled or other.ref == facts.ref:
                    continue
                self.backfilled.add(other.ref)
                self.link(conn, deal_id, other)
                todo.append(other)

    def buys_from(self, facts: MessageFacts) -> bool:
        """Is the other side someone who sells to us (their quote or invoice was buyer-side mail)?"""
        contact = primary_contact(facts)
        return bool(contact and contact in self.vendors)

    def in_buyer_thread(self, conn: Connection, facts: MessageFacts) -> bool:
        """Does the message answer mail in which a vendor sells to us (this run's, or an earlier run's)?

        Our reply to a supplier's quotation talks prices and terms like a deal, but we are the buyer.
        """
        if self.buyer_threads.intersection(facts.thread_refs):
            return True
        keys = [k for k in facts.thread_refs if k in self.earlier_unlinked_threads]
        if facts.ref.kind != "email" or not keys:
            return False
        rows = conn.execute(select(*_EMAIL_COLUMNS).where(
            captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.is_(None),
            or_(captured_emails.c.thread_key.in_(keys), captured_emails.c.message_key.in_(keys))))
        return any(_buyer_side(facts_from_email_row(r._mapping, self.parties)) for r in rows)

    def _shares_deal_subject(self, deal_id: int, facts: MessageFacts) -> bool:
        return is_distinctive_subject(facts.subject_key) and any(
            entry.deal_id == deal_id for entry in self.index.subject_deals(facts.subject_key))

    def _thread_mates(self, conn: Connection, facts: MessageFacts) -> list[MessageFacts]:
        keys = (*facts.own_keys, *facts.thread_refs)
        mates = [m for key in keys for m in self.skipped_by_key.get(key, [])]
        externals = set(facts.external_emails)
        if externals and is_distinctive_subject(facts.subject_key):
            mates += [m for m in self.skipped_by_subject.get(facts.subject_key, [])
                      if externals & set(m.external_emails)
                      and abs(m.occurred_at - facts.occurred_at) <= MatchPolicy().subject_window]
        if facts.ref.kind == "email" and any(k in self.earlier_unlinked_threads for k in keys):
            # Messages of this thread left unlinked by an earlier run: an indexed lookup by thread key.
            rows = conn.execute(select(*_EMAIL_COLUMNS).where(
                captured_emails.c.workspace_id == self.workspace_id, captured_emails.c.deal_id.is_(None),
                captured_emails.c.status == "processed", captured_emails.c.matched_at.is_not(None),
                or_(captured_emails.c.thread_key.in_(keys), captured_emails.c.message_key.in_(keys))))
            mates += [f for f in (facts_from_email_row(r._mapping, self.parties) for r in rows)
                      if not _buyer_side(f)]
        return mates

    def link(self, conn: Connection, deal_id: int, facts: MessageFacts) -> None:
        previous = facts.deal_id
        if previous is not None and previous != deal_id and previous in self.index.profiles:
            if previous in self.evidence:
                self.evidence[previous].pop(facts.ref, None)
            else:
                self.removals.setdefault(previous, set()).add(facts.ref)
            self.dirty.add(previous)
        if deal_id in self.evidence:
            self.evidence[deal_id][facts.ref] = facts
        else:
            self.additions.setdefault(deal_id, {})[facts.ref] = facts
        self.index.add_message(deal_id, facts)
        self._observe(deal_id, facts)
        self.dirty.add(deal_id)
        self.touched.add(deal_id)
        self.pending_links.setdefault(deal_id, []).append(deal_writes.LinkedItem(
            ref=facts.ref, occurred_at=facts.occurred_at, kind=_ACTIVITY_KIND.get(facts.direction, "email_in"),
            summary=facts.subject[:500] or None,
            participants=[{"email": e} for e in facts.external_emails]))

    def _observe(self, deal_id: int, facts: MessageFacts) -> None:
        """Keeps the profile current between flushes (status, products) so the next decision sees them."""
        profile = self.index.profiles[deal_id]
        x = facts.extraction
        profile.products = tuple(dict.fromkeys(profile.products + facts.products))
        outcome = stated_outcome(x)
        if outcome in ("won", "lost"):
            profile.status, profile.closed_at = outcome, facts.occurred_at
        if x.amount:
            profile.value = x.amount
        if profile.last_activity_at is None or facts.occurred_at > profile.last_activity_at:
            profile.last_activity_at = facts.occurred_at

    def create(self, conn: Connection, facts: MessageFacts, now: datetime) -> int:
        fields = fold_evidence([facts])
        source = "calendar" if facts.ref.kind == "event" else "email"
        deal_id = deal_writes.create_deal(conn, self.workspace_id, fields, confidence=facts.extraction.confidence,
                                          source=source, now=now)
        self.evidence[deal_id] = {}
        self.corrections[deal_id] = {}
        self.index.set_fields(deal_id, fields, facts.products)
        self.link_thread(conn, deal_id, facts, adopt_contact_mail=True)
        self._adopt_team_notes(conn, deal_id, facts)
        return deal_id

    def _adopt_team_notes(self, conn: Connection, deal_id: int, facts: MessageFacts) -> None:
        """The team's notes naming the customer, written shortly before the deal existed ("Kowalski – Preis")."""
        for note in self.team_notes:
            if note.ref in self.backfilled or not timedelta(0) <= facts.occurred_at - note.occurred_at <= CONTACT_LOOKBACK:
                continue
            named = self.index.deals_named_in(note.subject_key) | self.index.deals_nicknamed_in(note.subject)
            if named == {deal_id}:
                self.backfilled.add(note.ref)
                self.link(conn, deal_id, note)

    def refold(self, conn: Connection, deal_id: int, now: datetime) -> None:
        fields = fold_evidence(self.deal_evidence(conn, deal_id).values(), self.corrections.get(deal_id))
        deal_writes.update_deal_fields(conn, self.workspace_id, deal_id, fields, now=now)
        self.index.set_fields(deal_id, fields, product_items(fields.product))

    def flush(self, conn: Connection, now: datetime) -> None:
        for deal_id, items in self.pending_links.items():
            deal_writes.link_items(conn, self.workspace_id, deal_id, items, now=now)
        live = sorted(d for d in self.dirty if d in self.index.profiles)
        self.load_evidence(conn, live)
        for deal_id in live:
            self.refold(conn, deal_id, now)
        deal_writes.mark_matched(conn, self.workspace_id, self.unlinked, now=now)
        self.pending_links.clear()
        self.dirty.clear()
        self.unlinked.clear()


def _classifier_probability(facts: MessageFacts) -> float:
    """The classifier's probability before any cap, from the reasons the extractor recorded ("classifier 0.31")."""
    for reason in facts.extraction.reasons:
        if reason.startswith("classifier "):
            try:
                return float(reason.split()[1])
            except (IndexError, ValueError):
                break
    return facts.extraction.confidence


def _buyer_side(facts: MessageFacts) -> bool:
    return any(reason.startswith("we are the buyer") for reason in facts.extraction.reasons)


def _query_text(facts: MessageFacts) -> str:
    x = facts.extraction
    parts = [x.company or "", x.product or "", facts.subject, x.contact_name or "", " ".join(facts.participant_names)]
    return " | ".join(p for p in parts if p)


def match_workspace(engine: Engine, workspace: Workspace, *, index: VectorIndex | None = None,
                    embedder: Embedder | None = None, create_threshold: float = 0.8,
                    policy: MatchPolicy | None = None) -> MatchReport:
    """Links each newly extracted email and event of the workspace to a deal (creating deals only above
    `create_threshold`), then auto-merges duplicates. Idempotent."""
    started = time.perf_counter()
    policy = policy or MatchPolicy(create_threshold=create_threshold)
    report = MatchReport()
    with engine.connect() as conn:
        parties = workspace_parties(conn, workspace)
        pending = load_pending(conn, workspace.id, parties)
        session = _Session(conn, workspace.id, parties)
    semantic = index is not None and embedder is not None and index.count(workspace.id) > 0
    report.examined = len(pending)
    for start in range(0, len(pending), CHUNK):
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for facts in pending[start:start + CHUNK]:
                if facts.ref in session.backfilled:
                    continue  # already joined its thread's deal
                decision = _decide(facts, session, policy, index if semantic else None, embedder, report)
                if decision.action == "link" and decision.deal_id is not None:
                    session.link_thread(conn, decision.deal_id, facts)
                    report.linked += 1
                    for reason in decision.reasons[:1]:
                        report.reasons[reason] = report.reasons.get(reason, 0) + 1
                elif (decision.action == "create" and not session.in_buyer_thread(conn, facts)
                      and not session.buys_from(facts)):
                    session.create(conn, facts, now)
                    report.created += 1
                else:
                    session.skip(facts)
                    report.skipped += 1
            session.flush(conn, now)
    report.backfilled = len(session.backfilled)
    report.linked += report.backfilled
    report.merged = _merge_duplicates(engine, workspace.id, session, index)
    report.seconds = time.perf_counter() - started
    return report


def _decide(facts: MessageFacts, session: _Session, policy: MatchPolicy, index: VectorIndex | None,
            embedder: Embedder | None, report: MatchReport) -> Decision:
    candidates = gather_candidates(facts, session.index, policy)
    decision = decide(facts, candidates, session.index, policy)
    # Embeddings only where nothing stronger decided: a message about to start a new deal.
    if decision.action == "create" and index is not None and embedder is not None:
        report.semantic_searches += 1
        vector = embedder.encode([_query_text(facts)])[0]
        hits = [(h.deal_id, h.score) for h in index.search(session.workspace_id, vector, limit=5)]
        extra = semantic_candidates(facts, hits, session.index, policy, known=candidates)
        if extra:
            decision = decide(facts, candidates | extra, session.index, policy)
    return decision


def _merge_duplicates(engine: Engine, workspace_id: int, session: _Session, index: VectorIndex | None) -> int:
    if not session.touched:
        return 0
    with engine.begin() as conn:
        never = deal_writes.unmerged_pairs(conn, workspace_id)
        plans = find_duplicates(session.index, session.touched, never)
        merged: dict[int, int] = {}
        now = datetime.now(UTC)
        for plan in plans:
            winner = plan.winner_id
            while winner in merged:
                winner = merged[winner]
            loser = plan.loser_id
            if loser in merged or loser == winner:
                continue
            deal_writes.merge_deals(conn, workspace_id, winner, loser, reasons=plan.reasons, now=now)
            winner_evidence = session.deal_evidence(conn, winner)
            winner_evidence.update(session.deal_evidence(conn, loser))
            session.evidence.pop(loser, None)
            session.corrections[winner] = session.corrections.get(loser, {}) | session.corrections.get(winner, {})
            session.index.remove_deal(loser, winner)
            session.refold(conn, winner, now)
            merged[loser] = winner
    if merged and index is not None:
        index.delete_deals(workspace_id, sorted(merged))
    return len(merged)


def unmerge_deal(engine: Engine, workspace_id: int, deal_id: int, actor: str) -> int:
    """Undoes an auto or manual merge of `deal_id`; both deals' fields are derived again from their own
    messages. Returns the deal it had been merged into. The pair is never auto-merged again."""
    with engine.begin() as conn:
        winner = deal_writes.restore_merge(conn, workspace_id, deal_id, actor=actor)
        _refold_deals(conn, workspace_id, [winner, deal_id])
    return winner


def merge_deals(engine: Engine, workspace_id: int, winner_id: int, loser_id: int, actor: str) -> None:
    """A person's merge: the loser's messages join the winner, whose fields are derived again."""
    with engine.begin() as conn:
        deal_writes.merge_deals(conn, workspace_id, winner_id, loser_id, actor=actor, reasons=["manual"])
        _refold_deals(conn, workspace_id, [winner_id])


def _refold_deals(conn: Connection, workspace_id: int, deal_ids: Iterable[int]) -> None:
    domains = conn.execute(select(workspaces.c.domains).where(workspaces.c.id == workspace_id)).scalar_one()
    emails = frozenset(r[0] for r in conn.execute(select(users.c.email).where(users.c.workspace_id == workspace_id)))
    session = _Session(conn, workspace_id, WorkspaceParties(tuple(domains), emails), load_index=False)
    now = datetime.now(UTC)
    for deal_id in deal_ids:
        row = conn.execute(select(deals.c.corrections).where(
            deals.c.workspace_id == workspace_id, deals.c.id == deal_id)).first()
        session.corrections[deal_id] = dict((row.corrections if row else None) or {})
        session.refold(conn, deal_id, now)
