"""Labelled examples for the deal classifier: generated scenarios, hand-written mail, real archives as negatives.

Every loader returns `LabelledMessage`s so the training script, the tests and the benchmarks read the
same data the same way. Real archives are split by time: the early part may train, the late part measures.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.mail.message import ParsedEmail
from vectoros_pipelines.mail.parse import MailParseError, parse_email

EXAMPLES_DIR = Path(__file__).parent / "examples"
SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
USRP_TARBALL = SHARED_DATA / "mail" / "usrp-users" / "usrp-users-2025-2026.tar.gz"
ENRON_TARBALL = SHARED_DATA / "mail" / "enron" / "enron-inbox-125users.tar.gz"
# The vendor's own domains: the support list seen from the vendor's mailbox, the hardest view,
# since every customer question then looks like an inbound inquiry.
USRP_CONTEXT = WorkspaceContext("Ettus Research", ("ettus.com", "ni.com", "emerson.com"))
ENRON_CONTEXT = WorkspaceContext("Enron", ("enron.com",))
# Share of an archive (in time order) that training may see; the rest is for measuring only.
TRAIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    email: ParsedEmail
    label: int  # 1 = about a sales deal of the workspace
    context: WorkspaceContext
    source: str  # where it came from, for per-source figures
    note: str = ""


def hand_examples(directory: Path = EXAMPLES_DIR) -> list[LabelledMessage]:
    """The hand-written `.txt` example files (format in examples/README.md)."""
    out: list[LabelledMessage] = []
    for path in sorted(directory.glob("*.txt")):
        blocks = re.split(r"(?m)^%% ", path.read_text(encoding="utf-8"))
        context: WorkspaceContext | None = None
        for index, block in enumerate(blocks):
            if not block.strip():
                continue
            head, _, rest = block.partition("\n")
            if head.startswith("workspace "):
                name, _, domains = head[len("workspace "):].partition("|")
                context = WorkspaceContext(name.strip(), tuple(d.strip() for d in domains.split(",")))
                continue
            if context is None:
                raise ValueError(f"{path.name}: examples before the '%% workspace' line")
            label = 1 if head.strip() == "deal" else 0
            raw = f"Message-ID: <{path.stem}-{index}@examples.invalid>\n{rest}".encode()
            out.append(LabelledMessage(parse_email(raw), label, context, f"hand:{path.stem}", head.strip()))
    return out


def scenario_messages(directory: Path) -> list[LabelledMessage]:
    """A scenario folder in the scenarios README format; label = truth says the message has a deal."""
    workspace = json.loads((directory / "workspace.json").read_text())
    truth = json.loads((directory / "truth.json").read_text())["messages"]
    context = WorkspaceContext(
        workspace["name"], tuple(d.lower() for d in workspace["domains"]),
        tuple(u["email"].lower() for u in workspace.get("users", [])),
    )
    out = []
    for path in sorted((directory / "mailbox").glob("*.eml")):
        email = parse_email(path.read_bytes())
        if email.message_key not in truth:
            continue
        label = 1 if truth[email.message_key].get("deal") else 0
        out.append(LabelledMessage(email, label, context, f"scenario:{directory.name}"))
    return out


def _tar_members(path: Path) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if member.isfile() and not member.name.endswith((".csv", ".txt")):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def usrp_messages(part: str = "all") -> list[LabelledMessage]:
    """The vendor support list, all labelled not-a-deal; `part` = train (early half) | eval (late half) | all."""
    items = sorted(_tar_members(USRP_TARBALL))  # files are numbered in time order
    cut = int(len(items) * TRAIN_SHARE)
    chosen = items[:cut] if part == "train" else items[cut:] if part == "eval" else items
    out = []
    for name, raw in chosen:
        try:
            out.append(LabelledMessage(parse_email(raw), 0, USRP_CONTEXT, "usrp-users", name))
        except MailParseError:
            continue
    return out


def enron_messages(part: str = "all", *, exclude_users: tuple[str, ...] = (), limit: int | None = None,
                   every: int = 1) -> list[LabelledMessage]:
    """Enron inbox mail labelled not-a-sales-deal.

    Conservative on purpose: Enron's traders and lawyers did commercial deals (gas, power, swaps),
    which are not the sales pipeline of a workspace; the label means "not a deal this product should
    create", and mailboxes heavy in such deals can be excluded. `part` splits users alphabetically
    (train: first half, eval: second half) so training never sees a measured mailbox.
    """
    out: list[LabelledMessage] = []
    for index, (name, raw) in enumerate(_tar_members(ENRON_TARBALL)):
        user = name.split("/")[1] if name.count("/") >= 2 else ""
        if user in exclude_users or index % every:
            continue
        in_train = user[:1] <= "k"
        if (part == "train" and not in_train) or (part == "eval" and in_train):
            continue
        try:
            out.append(LabelledMessage(parse_email(raw), 0, ENRON_CONTEXT, "enron", name))
        except MailParseError:
            continue
        if limit is not None and len(out) >= limit:
            break
    return out
