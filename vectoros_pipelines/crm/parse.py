"""Reads opportunity exports into validated deals; every bad row becomes an error naming its line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from vectoros_pipelines.crm.mappings import GENERIC, MAPPINGS, ColumnMapping, detect, normalise_stage
from vectoros_pipelines.crm.rows import CrmDeal, ParsedExport, RowError

TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f", ""}


class CrmFileError(ValueError):
    """A file that cannot be read at all (missing columns, not a CSV)."""


def read_csv(path: Path) -> pd.DataFrame:
    """All cells as stripped text; empty cells are ''. Data row i is on line i + 2 (line 1 is the header)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise CrmFileError(f"cannot read {path.name}: {exc}") from exc
    return frame.apply(lambda col: col.str.strip())


def parse_export(path: Path, mapping: str = "auto") -> ParsedExport:
    frame = read_csv(path)
    columns: ColumnMapping = detect(list(frame.columns)) if mapping == "auto" else MAPPINGS.get(mapping, GENERIC)
    resolved = columns.resolve(list(frame.columns))
    missing = [f for f in ("id", "stage") if f not in resolved]
    if missing:
        raise CrmFileError(
            f"cannot import {path.name}: no column for {', '.join(missing)} "
            f"(headers: {', '.join(frame.columns)}; mapping {columns.name})"
        )
    deals: list[CrmDeal] = []
    errors: list[RowError] = []
    for offset, row in enumerate(frame.to_dict("records")):
        line = offset + 2
        cell = {fld: str(row[header]) for fld, header in resolved.items()}
        deal_or_reason = _validate(cell, f"{path.name}:{line}")
        if isinstance(deal_or_reason, str):
            errors.append(RowError(path.name, line, deal_or_reason))
        else:
            deals.append(deal_or_reason)
    return ParsedExport(deals, errors, columns.name)


def _validate(cell: dict[str, str], ref: str, extra: dict[str, object] | None = None) -> CrmDeal | str:
    external_id = cell.get("id", "")
    if not external_id:
        return "missing opportunity id"
    stage_label = cell.get("stage", "")
    stage = normalise_stage(stage_label)
    if stage is None:
        return f"unknown stage {stage_label!r}"
    status = _status(stage, cell)
    if isinstance(status, tuple):
        return status[0]
    amount, reason = _amount(cell.get("amount", ""))
    if reason:
        return reason
    created, reason = _date(cell.get("created", ""), "created date")
    if reason:
        return reason
    close, reason = _date(cell.get("close_date", ""), "close date")
    if reason:
        return reason
    if created and close and close < created:
        return f"close date {close} is before created date {created}"
    if status != "open" and close is None:
        return f"{status} deal without a close date"
    currency = cell.get("currency", "").upper() or None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        return f"currency {cell['currency']!r} is not a 3-letter ISO code"
    return CrmDeal(
        external_id=external_id, name=cell.get("name") or None, company=cell.get("account") or None,
        value=amount, currency=currency, stage=stage, status=status, opened_on=created, close_date=close,
        owner=cell.get("owner") or None, product=cell.get("product") or None, source_ref=ref,
        attributes=dict(extra or {}, crm_stage=stage_label),
    )


def _status(stage: str, cell: dict[str, str]) -> str | tuple[str]:
    won_flag, closed_flag = cell.get("won", "").lower(), cell.get("closed", "").lower()
    for flag, label in ((won_flag, "won"), (closed_flag, "closed")):
        if flag not in TRUE_WORDS | FALSE_WORDS:
            return (f"{label} flag {flag!r} is not true/false",)
    if won_flag in TRUE_WORDS:
        return "won"
    if closed_flag in TRUE_WORDS:
        return "won" if stage == "closed_won" else "lost"
    if stage == "closed_won":
        return "won"
    if stage == "closed_lost":
        return "lost"
    return "open"


def _amount(text: str) -> tuple[float | None, str | None]:
    if not text:
        return None, None
    cleaned = text.replace(",", "").replace("$", "").replace("€", "").replace("£", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None, f"amount {text!r} is not a number"
    if value < 0:
        return None, f"amount {text!r} is negative"
    return value, None


def _date(text: str, label: str) -> tuple[date | None, str | None]:
    if not text:
        return None, None
    # ISO first (Maven, API exports); month-first is what Salesforce/HubSpot report exports use in en-US.
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p"):
        try:
            return pd.to_datetime(text, format=fmt).date(), None
        except ValueError:
            continue
    try:
        return pd.Timestamp(text).date(), None
    except (ValueError, TypeError):
        return None, f"{label} {text!r} is not a date"


def parse_many(paths: Sequence[Path], mapping: str = "auto") -> ParsedExport:
    if mapping == "maven":
        from vectoros_pipelines.crm.maven import parse_maven

        return parse_maven(paths)
    if mapping == "auto" and _looks_like_maven(paths):
        from vectoros_pipelines.crm.maven import parse_maven

        return parse_maven(paths)
    deals: list[CrmDeal] = []
    errors: list[RowError] = []
    names = []
    for path in paths:
        parsed = parse_export(path, mapping)
        deals += parsed.deals
        errors += parsed.errors
        names.append(parsed.mapping)
    return ParsedExport(deals, errors, "+".join(dict.fromkeys(names)))


def _looks_like_maven(paths: Sequence[Path]) -> bool:
    files = _expand(paths)
    return any(p.name == "sales_pipeline.csv" for p in files)


def _expand(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(p.glob("*.csv")) if p.is_dir() else [p]
    return out
