"""The `record_deal_extraction` tool: what Claude is asked to fill in, and how its answer is checked.

The JSON schema is what the API sees; `ToolInput` is how we validate what comes back.
The model is forced to call the tool, but the API does not guarantee the input matches
the schema, so every reply is validated here before it becomes an ExtractionResult.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vectoros_pipelines.extraction.result import STAGES

TOOL_NAME = "record_deal_extraction"

# Fields that carry a value taken from the message; each may have an evidence quote.
VALUE_FIELDS: tuple[str, ...] = (
    "company",
    "company_domain",
    "amount",
    "currency",
    "contact_name",
    "contact_email",
    "product",
    "stage_hint",
    "close_date_hint",
    "outcome",
)


def _nullable(kind: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], "description": description, **extra}


TOOL_INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "is_deal_related": {
            "type": "boolean",
            "description": "True only if the message is about a sale the workspace (we) makes to an external customer.",
        },
        "confidence": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "Probability that is_deal_related is true.",
        },
        "company": _nullable("string", "The external customer's company name, as written in the message."),
        "company_domain": _nullable(
            "string", "The customer's company mail domain, e.g. acme.com; never a free-mail domain."
        ),
        "amount": _nullable("number", "Deal value as a plain number (120K -> 120000)."),
        "currency": _nullable(
            "string", "ISO 4217 code of the amount, e.g. USD, EUR.", pattern="^[A-Za-z]{3}$"
        ),
        "contact_name": _nullable("string", "The customer-side contact's name."),
        "contact_email": _nullable("string", "The customer-side contact's email address."),
        "product": _nullable("string", "What we are selling, as named in the message."),
        "stage_hint": {
            "type": ["string", "null"],
            "enum": [*STAGES, None],
            "description": "Sales stage the message indicates.",
        },
        "close_date_hint": _nullable("string", "Expected close date as YYYY-MM-DD.", format="date"),
        "outcome": {
            "type": ["string", "null"],
            "enum": ["won", "lost", None],
            "description": "won or lost only if the message says the deal was won or lost.",
        },
        "evidence": {
            "type": "object",
            "description": (
                "For each non-null value field, a short verbatim quote (at most ~20 words) "
                "copied from the message that supports it. Keys are field names."
            ),
            "properties": {name: {"type": "string"} for name in VALUE_FIELDS},
            "additionalProperties": False,
        },
        "reason": {
            "type": "string",
            "description": "One sentence: why this is or is not a sales deal of ours.",
        },
    },
    "required": ["is_deal_related", "confidence", *VALUE_FIELDS, "evidence", "reason"],
    "additionalProperties": False,
}

TOOL_DEFINITION: dict[str, Any] = {
    "name": TOOL_NAME,
    "description": (
        "Record what one email or calendar event says about a sales deal of the workspace. "
        "Call exactly once. Use null for anything the message does not state."
    ),
    "input_schema": TOOL_INPUT_SCHEMA,
}


class ToolInput(BaseModel):
    """The validated tool input. Strict: a string where a number belongs is an error, not a guess."""

    model_config = ConfigDict(strict=True, extra="ignore")

    is_deal_related: bool
    confidence: float = Field(ge=0.0, le=1.0)
    company: str | None
    company_domain: str | None
    amount: float | None = Field(ge=0.0)
    currency: str | None = Field(pattern="^[A-Z]{3}$")
    contact_name: str | None
    contact_email: str | None
    product: str | None
    stage_hint: (
        Literal["lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost"] | None
    )
    close_date_hint: date | None
    outcome: Literal["won", "lost"] | None
    evidence: dict[str, str] = Field(default_factory=dict)
    reason: str = ""

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("close_date_hint", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # Strict mode refuses str -> date; the API sends dates as strings, so parse ISO here only.
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError as exc:
                raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc
        return value

    @field_validator("company", "company_domain", "contact_name", "contact_email", "product", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class MalformedToolInput(ValueError):
    """The model's tool input does not match the schema; the message says which fields and why."""


def parse_tool_input(raw: object) -> ToolInput:
    if not isinstance(raw, dict):
        raise MalformedToolInput(f"tool input is {type(raw).__name__}, expected an object")
    missing = [
        name
        for name in TOOL_INPUT_SCHEMA["required"]
        if name not in raw and name not in ("evidence", "reason")
    ]
    if missing:
        raise MalformedToolInput(f"tool input is missing required fields: {', '.join(missing)}")
    try:
        return ToolInput.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'input'}: {err['msg']}" for err in exc.errors()
        )
        raise MalformedToolInput(f"tool input does not match the schema: {problems}") from None
