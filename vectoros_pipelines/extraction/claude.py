"""ClaudeExtractor: deal facts from one email or event via the Anthropic Messages API.

Structured output comes from one forced tool call (`record_deal_extraction`); the fixed
instructions and the workspace block are marked for prompt caching; backfills go through
the Message Batches API at half price. Every answer is validated against the tool schema
and then grounded, so a value that is not in the message never leaves this module.

Retries are our own loop (the SDK client runs with max_retries=0) because:
the sleep must be injectable for tests and for a Dagster run that wants to log each wait;
we count retries into run metadata; and a retry holds its concurrency slot while it waits,
so a rate-limited account gets less traffic, not the same traffic from other threads.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import anthropic
from anthropic.types.messages.batch_create_params import Request

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.claude_prompt import (
    PROMPT_VERSION,
    SYSTEM_INSTRUCTIONS,
    new_boundary,
    render_email,
    render_event,
    workspace_block,
)
from vectoros_pipelines.extraction.claude_schema import (
    TOOL_DEFINITION,
    TOOL_NAME,
    VALUE_FIELDS,
    MalformedToolInput,
    ToolInput,
    parse_tool_input,
)
from vectoros_pipelines.extraction.claude_usage import ClaudeUsage
from vectoros_pipelines.extraction.grounding import email_sources, event_sources, ground_result
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.mail.message import ParsedEmail

log = logging.getLogger(__name__)

# claude-sonnet-4-5 reaches end-of-life on 2026-11-30 (anthropic SDK's deprecation table);
# Sonnet 5 still accepts a forced tool_choice, which Sonnet 5.5 answers with a 400.
DEFAULT_MODEL = "claude-sonnet-5"

# Models that reject tool_choice {"type": "tool"} with a 400 ("Forced tool use returns an
# error", Sonnet 5.5 / Opus 5.5 / Fable 5.x model pages). For them we ask with "auto" and
# rely on the instructions; a reply without the tool call becomes an error result.
_FORCED_TOOL_REJECTED = frozenset(
    {"claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1", "claude-fable-5-2"}
)
# Extra request fields that keep a model from thinking before the tool call: Sonnet 5 thinks
# by default and forced tool use needs thinking off; Sonnet 5.5's lowest setting is between_tools.
_THINKING_OFF: dict[str, dict[str, str]] = {
    "claude-sonnet-5": {"type": "disabled"},
    "claude-sonnet-5-5": {"type": "between_tools"},
}
_CACHE = {"type": "ephemeral"}
_DATED_SUFFIX = re.compile(r"-\d{8}$")
# The API caps a batch at 100,000 requests / 256 MB; 5,000 bodies of <=20k chars stay well under.
_BATCH_CHUNK = 5_000
# Batch errors that a retry cannot fix: the request itself is wrong.
_PERMANENT_BATCH_ERRORS = frozenset(
    {"invalid_request_error", "not_found_error", "permission_error", "authentication_error"}
)

T = TypeVar("T")


class ClaudeConfigError(RuntimeError):
    """The account, key or model is wrong: every further call would fail the same way."""


@dataclass(frozen=True)
class ClaudeSettings:
    api_key: str | None
    model: str = DEFAULT_MODEL
    max_concurrency: int = 4  # in-flight requests per extractor; size to the account's rate limit
    max_attempts: int = 6  # per request, including the first
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0
    batch_threshold: int = 50  # extract_emails with more emails than this uses the Batches API
    batch_poll_interval_s: float = 30.0
    batch_max_wait_s: float = 25 * 3600.0  # the API expires unfinished batch requests after 24 h
    max_tokens: int = 1024
    max_body_chars: int = 20_000
    timeout_s: float = 120.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ClaudeSettings:
        env = os.environ if environ is None else environ
        return cls(
            api_key=env.get("ANTHROPIC_API_KEY") or None,
            model=env.get("VECTOROS_CLAUDE_MODEL") or DEFAULT_MODEL,
            max_concurrency=int(env.get("VECTOROS_CLAUDE_MAX_CONCURRENCY", cls.max_concurrency)),
            max_attempts=int(env.get("VECTOROS_CLAUDE_MAX_ATTEMPTS", cls.max_attempts)),
            batch_threshold=int(env.get("VECTOROS_CLAUDE_BATCH_THRESHOLD", cls.batch_threshold)),
        )


@dataclass(frozen=True)
class _Prepared:
    custom_id: str
    params: dict[str, Any]
    sources: dict[str, str]


class ClaudeExtractor:
    """The Extractor protocol on Claude. Thread-safe; share one instance per run."""

    name = "claude"

    def __init__(
        self,
        settings: ClaudeSettings,
        client: anthropic.Anthropic | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if client is None:
            if not settings.api_key:
                raise ClaudeConfigError("ANTHROPIC_API_KEY is not set; the Claude extractor needs an API key")
            client = anthropic.Anthropic(api_key=settings.api_key, max_retries=0, timeout=settings.timeout_s)
        else:
            client = client.with_options(max_retries=0)  # our loop retries; the SDK must not retry too
        self.settings = settings
        self.version = f"{settings.model}+{PROMPT_VERSION}"
        self.usage = ClaudeUsage(model=settings.model)
        self._client = client
        self._sleep = sleep
        self._jitter = jitter
        self._slots = threading.BoundedSemaphore(settings.max_concurrency)
        base_model = _DATED_SUFFIX.sub("", settings.model)
        self._force_tool = base_model not in _FORCED_TOOL_REJECTED
        self._thinking = _THINKING_OFF.get(base_model)

    @classmethod
    def from_env(cls, client: anthropic.Anthropic | None = None) -> ClaudeExtractor:
        return cls(ClaudeSettings.from_env(), client)

    # ---- Extractor protocol -------------------------------------------------------------

    def extract_email(self, email: ParsedEmail, context: WorkspaceContext) -> ExtractionResult:
        return self._extract_one(self._prepare_email("single", email, context))

    def extract_event(self, event: ParsedEvent, context: WorkspaceContext) -> ExtractionResult:
        text = render_event(event, new_boundary(), self.settings.max_body_chars)
        return self._extract_one(_Prepared("single", self._params(context, text), event_sources(event)))

    def extract_emails(
        self, emails: Sequence[ParsedEmail], context: WorkspaceContext
    ) -> list[ExtractionResult]:
        """Results in input order. Backfills (more than batch_threshold emails) use the Batches API."""
        prepared = [self._prepare_email(f"m{i:06d}", email, context) for i, email in enumerate(emails)]
        if len(prepared) > self.settings.batch_threshold:
            results: list[ExtractionResult] = []
            for start in range(0, len(prepared), _BATCH_CHUNK):
                results.extend(self._extract_batch(prepared[start : start + _BATCH_CHUNK]))
            return results
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            return list(pool.map(self._extract_one, prepared))

    # ---- requests -----------------------------------------------------------------------

    def _prepare_email(self, custom_id: str, email: ParsedEmail, context: WorkspaceContext) -> _Prepared:
        text = render_email(email, new_boundary(), self.settings.max_body_chars)
        return _Prepared(custom_id, self._params(context, text), email_sources(email))

    def _params(self, context: WorkspaceContext, user_text: str) -> dict[str, Any]:
        # Two cache breakpoints: tools + instructions (same for every workspace), then the
        # workspace block (same for every message of a workspace). The message comes after both.
        params: dict[str, Any] = {
            "model": self.settings.model,
            "max_tokens": self.settings.max_tokens,
            "system": [
                {"type": "text", "text": SYSTEM_INSTRUCTIONS, "cache_control": _CACHE},
                {"type": "text", "text": workspace_block(context), "cache_control": _CACHE},
            ],
            "tools": [TOOL_DEFINITION],
            "tool_choice": (
                {"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True}
                if self._force_tool
                else {"type": "auto"}
            ),
            "messages": [{"role": "user", "content": user_text}],
        }
        if self._thinking is not None:
            params["thinking"] = self._thinking
        return params

    def _extract_one(self, item: _Prepared) -> ExtractionResult:
        try:
            with self._slots:
                message = self._with_retries(
                    lambda: self._client.messages.create(**item.params),
                    what=f"messages.create ({item.custom_id})",
                )
        except (
            anthropic.AuthenticationError,
            anthropic.PermissionDeniedError,
            anthropic.NotFoundError,
        ) as exc:
            raise ClaudeConfigError(
                f"Claude rejected the request ({exc.status_code}): {_api_message(exc)}"
            ) from exc
        except anthropic.APIError as exc:
            return self._error_result(f"request failed: {_describe(exc)}", item.sources)
        self.usage.add(message.usage)
        return self._result_from_message(message, item.sources)

    def _with_retries(self, call: Callable[[], T], *, what: str) -> T:
        attempt = 0
        while True:
            try:
                return call()
            except anthropic.APIError as exc:
                attempt += 1
                if not _is_retryable(exc) or attempt >= self.settings.max_attempts:
                    raise
                delay = self._backoff(attempt, exc)
                self.usage.note_retry()
                log.warning("%s failed (%s); retry %d in %.1fs", what, _describe(exc), attempt, delay)
                self._sleep(delay)

    def _backoff(self, attempt: int, exc: anthropic.APIError) -> float:
        server_says = _retry_after_s(exc)
        if server_says is not None:
            return min(server_says, self.settings.backoff_cap_s * 5)
        # Exponential with "equal jitter": half fixed, half random, so parallel workers spread out.
        ceiling = min(self.settings.backoff_cap_s, self.settings.backoff_base_s * 2 ** (attempt - 1))
        return ceiling / 2 + self._jitter() * ceiling / 2

    # ---- batches ------------------------------------------------------------------------

    def _extract_batch(self, items: list[_Prepared]) -> list[ExtractionResult]:
        by_id = {item.custom_id: item for item in items}
        requests = [Request(custom_id=item.custom_id, params=item.params) for item in items]  # type: ignore[typeddict-item]
        try:
            batch = self._with_retries(
                lambda: self._client.messages.batches.create(requests=requests), what="batches.create"
            )
            batch = self._wait_for_batch(batch)
            lines = self._with_retries(
                lambda: list(self._client.messages.batches.results(batch.id)),
                what=f"batches.results ({batch.id})",
            )
        except (
            anthropic.AuthenticationError,
            anthropic.PermissionDeniedError,
            anthropic.NotFoundError,
        ) as exc:
            raise ClaudeConfigError(
                f"Claude rejected the batch ({exc.status_code}): {_api_message(exc)}"
            ) from exc
        counts = batch.request_counts
        log.info(
            "batch %s ended: %d succeeded, %d errored, %d expired, %d canceled",
            batch.id,
            counts.succeeded,
            counts.errored,
            counts.expired,
            counts.canceled,
        )

        results: dict[str, ExtractionResult] = {}
        for line in lines:
            item = by_id.get(line.custom_id)
            if item is None:
                log.warning("batch %s returned unknown custom_id %r", batch.id, line.custom_id)
                continue
            outcome = line.result
            if outcome.type == "succeeded":
                self.usage.add(outcome.message.usage, batch=True)
                results[item.custom_id] = self._result_from_message(outcome.message, item.sources)
            elif outcome.type == "errored" and outcome.error.error.type in _PERMANENT_BATCH_ERRORS:
                error = outcome.error.error
                results[item.custom_id] = self._error_result(
                    f"batch {batch.id} request failed: {error.type}: {error.message}", item.sources
                )
            # errored (transient), expired and canceled entries fall through to a single retry below.

        retry = [item for custom_id, item in by_id.items() if custom_id not in results]
        if retry:
            log.info("batch %s: retrying %d entries as single requests", batch.id, len(retry))
            with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
                results.update(
                    zip((i.custom_id for i in retry), pool.map(self._extract_one, retry), strict=True)
                )
        return [results[item.custom_id] for item in items]

    def _wait_for_batch(self, batch: Any) -> Any:
        waited = 0.0
        while batch.processing_status != "ended":
            if waited >= self.settings.batch_max_wait_s:
                raise TimeoutError(
                    f"message batch {batch.id} still {batch.processing_status} after {waited:.0f}s; "
                    "its results can be fetched later with client.messages.batches.results"
                )
            self._sleep(self.settings.batch_poll_interval_s)
            waited += self.settings.batch_poll_interval_s
            batch = self._with_retries(
                partial(self._client.messages.batches.retrieve, batch.id),
                what=f"batches.retrieve ({batch.id})",
            )
        return batch

    # ---- replies ------------------------------------------------------------------------

    def _result_from_message(self, message: Any, sources: dict[str, str]) -> ExtractionResult:
        block = next(
            (b for b in message.content if getattr(b, "type", None) == "tool_use" and b.name == TOOL_NAME),
            None,
        )
        if block is None:
            kinds = ", ".join(getattr(b, "type", "?") for b in message.content) or "nothing"
            return self._error_result(
                f"no {TOOL_NAME} tool call in the reply (stop_reason={message.stop_reason}, content: {kinds})",
                sources,
            )
        try:
            parsed = parse_tool_input(block.input)
        except MalformedToolInput as exc:
            return self._error_result(f"malformed tool input: {exc}", sources)
        return ground_result(self._to_result(parsed, sources), sources, quotes=dict(parsed.evidence))

    def _to_result(self, parsed: ToolInput, sources: dict[str, str]) -> ExtractionResult:
        reasons = [f"claude: {parsed.reason}"] if parsed.reason else []
        reasons += _evidence_warnings(parsed, sources)
        return ExtractionResult(
            is_deal_related=parsed.is_deal_related,
            confidence=parsed.confidence,
            company=parsed.company,
            company_domain=parsed.company_domain.lower() if parsed.company_domain else None,
            amount=parsed.amount,
            currency=parsed.currency,
            contact_name=parsed.contact_name,
            contact_email=parsed.contact_email.lower() if parsed.contact_email else None,
            product=parsed.product,
            stage_hint=parsed.stage_hint,
            close_date_hint=parsed.close_date_hint,
            outcome=parsed.outcome,
            extractor=self.name,
            extractor_version=self.version,
            reasons=reasons,
        )

    def _error_result(self, reason: str, sources: dict[str, str]) -> ExtractionResult:
        """Not a deal, zero confidence, and the reason on the row, so a failure never creates a deal."""
        self.usage.note_failure()
        log.warning("claude extraction failed: %s", reason)
        result = ExtractionResult(
            is_deal_related=False,
            confidence=0.0,
            extractor=self.name,
            extractor_version=self.version,
            reasons=[f"claude_error: {reason}"],
        )
        return ground_result(result, sources)


def _evidence_warnings(parsed: ToolInput, sources: dict[str, str]) -> list[str]:
    """Notes where the model's quote is not in the message: a sign the value came from elsewhere.

    Grounding decides what is kept; these notes make a dropped or doubtful value explainable.
    """
    haystack = _squash(" ".join(sources.values()))
    warnings = []
    for name in VALUE_FIELDS:
        if getattr(parsed, name) is None:
            continue
        quote = parsed.evidence.get(name)
        if not quote:
            warnings.append(f"claude gave no evidence for {name}")
        elif _squash(quote) not in haystack:
            warnings.append(f"claude's evidence for {name} is not in the message: {quote[:80]!r}")
    return warnings


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_retryable(exc: anthropic.APIError) -> bool:
    if isinstance(exc, anthropic.APIConnectionError):  # includes timeouts
        return True
    if isinstance(exc, anthropic.APIStatusError):
        should = exc.response.headers.get("x-should-retry")
        if should in ("true", "false"):
            return should == "true"
        # 429 rate limit, 529 overloaded, other 5xx; 408/409 are transient per the API's own client.
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def _retry_after_s(exc: anthropic.APIError) -> float | None:
    if not isinstance(exc, anthropic.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            continue  # an HTTP-date; fall back to our own backoff
        if seconds >= 0:
            return seconds
    return None


def _api_message(exc: anthropic.APIStatusError) -> str:
    return exc.api_message or exc.message


def _describe(exc: anthropic.APIError) -> str:
    if isinstance(exc, anthropic.APIStatusError):
        return f"{exc.status_code} {exc.type or type(exc).__name__}: {_api_message(exc)}"
    return f"{type(exc).__name__}: {exc.message}"
