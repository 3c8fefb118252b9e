"""Every warehouse table (DESIGN §3), as SQLAlchemy Core metadata.

One schema for SQLite (embedded default) and PostgreSQL (production). Every
tenant table carries `workspace_id`; uniqueness constraints are the natural
keys that make re-runs update rows instead of duplicating them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# BigInteger ids on PostgreSQL, plain INTEGER (rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _ts(name: str, nullable: bool = True, **kw: object) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable, **kw)  # type: ignore[arg-type]


def _created() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


def _ws_fk() -> Column:
    return Column("workspace_id", Id, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)


workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("domains", JSON, nullable=False),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("status", String(20), nullable=False, server_default="active"),
    _created(),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("email", String(320), nullable=False),
    Column("name", String(200)),
    Column("role", String(10), nullable=False, server_default="user"),  # admin | user | viewer
    Column("password_hash", String(200)),
    _created(),
    UniqueConstraint("workspace_id", "email"),
)

integrations = Table(
    "integrations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    # mail_files | calendar_files | gmail | google_calendar | imap | crm_csv
    Column("provider", String(30), nullable=False),
    Column("kind", String(10), nullable=False),  # mail | calendar | crm
    Column("account", String(1000), nullable=False),  # a path for file sources, an address for accounts
    Column("scopes", JSON),
    Column("token_ciphertext", LargeBinary),
    Column("token_key_id", String(40)),
    Column("cursor", JSON),
    Column("status", String(20), nullable=False, server_default="active"),  # active | needs_reauth | error | disconnected
    _ts("last_sync_at"),
    Column("last_error", Text),
    _created(),
    UniqueConstraint("workspace_id", "provider", "account"),
)

source_items = Table(
    # What a file source holds: one row per message file / mbox entry / calendar file,
    # with the month it belongs to, so a (workspace, month) partition reads only its slice
    # and a sensor sees what is new or changed without parsing everything again.
    "source_items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("integration_id", Id, ForeignKey("integrations.id", ondelete="CASCADE"), nullable=False),
    Column("locator", String(1500), nullable=False),  # relative path, or "path#offset" inside an mbox
    Column("size_bytes", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("start_offset", BigInteger),
    Column("end_offset", BigInteger),
    Column("month", String(7), nullable=False),  # YYYY-MM partition
    Column("fingerprint", String(80), nullable=False),  # size+mtime (files) or content hash
    Column("captured_fingerprint", String(80)),  # fingerprint as of the last capture of this item
    _ts("seen_at"),
    UniqueConstraint("integration_id", "locator"),
    Index("ix_source_items_ws_month", "workspace_id", "month"),
)

sync_logs = Table(
    "sync_logs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("integration_id", Id, ForeignKey("integrations.id", ondelete="CASCADE")),
    Column("partition_key", String(100)),
    _ts("started_at", nullable=False),
    _ts("finished_at"),
    Column("fetched", Integer, nullable=False, server_default="0"),
    Column("new", Integer, nullable=False, server_default="0"),
    Column("updated", Integer, nullable=False, server_default="0"),
    Column("failed", Integer, nullable=False, server_default="0"),
    Column("provider_total", Integer),
    Column("duration_s", Float),
    Column("error", Text),
    Index("ix_sync_logs_integration_started", "integration_id", "started_at"),
)

deals = Table(
    "deals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("external_id", String(200)),  # CRM opportunity id for imported deals
    Column("name", String(300)),
    Column("company", String(300)),
    Column("company_key", String(300)),  # normalised company for matching
    Column("domain", String(255)),
    Column("value", Float),
    Column("currency", String(3)),
    Column("stage", String(20), nullable=False, server_default="lead"),
    Column("status", String(10), nullable=False, server_default="open"),  # open | won | lost
    Column("contact_name", String(200)),
    Column("contact_email", String(320)),
    Column("product", String(300)),
    Column("owner_email", String(320)),
    Column("close_date", Date),
    _ts("opened_at"),
    _ts("closed_at"),
    _ts("last_activity_at"),
    Column("source", String(20), nullable=False, server_default="email"),  # email | calendar | crm | manual
    Column("confidence", Float),
    Column("merged_into", Id, ForeignKey("deals.id", ondelete="SET NULL")),
    Column("corrections", JSON),  # field -> value set by a person; wins over automatic updates
    Column("field_sources", JSON),  # field -> message key that last set it
    _created(),
    _ts("updated_at"),
    UniqueConstraint("workspace_id", "external_id"),
    Index("ix_deals_ws_status", "workspace_id", "status"),
    Index("ix_deals_ws_domain", "workspace_id", "domain"),
    Index("ix_deals_ws_contact", "workspace_id", "contact_email"),
)

captured_emails = Table(
    "captured_emails",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("integration_id", Id, ForeignKey("integrations.id", ondelete="SET NULL")),
    Column("message_key", String(1000), nullable=False),  # Message-ID without <>, or sha256:<hex>
    Column("month", String(7), nullable=False),
    Column("source_locator", String(1500)),
    Column("subject", Text),
    Column("normalized_subject", String(500)),
    Column("thread_key", String(1000)),
    Column("in_reply_to", String(1000)),
    Column("references", JSON),
    Column("from_email", String(320)),
    Column("from_name", String(300)),
    Column("participants", JSON),  # [{email, name, role}]
    Column("direction", String(10)),  # inbound | outbound | internal
    Column("labels", JSON),
    _ts("sent_at"),
    Column("body_ciphertext", LargeBinary),
    Column("body_key_id", String(40)),
    Column("body_chars", Integer),
    Column("truncated", Boolean, nullable=False, server_default="0"),
    Column("size_bytes", BigInteger),
    Column("attachments", JSON),
    Column("headers", JSON),
    Column("content_hash", String(80)),
    # processing state (DESIGN §3)
    Column("status", String(12), nullable=False, server_default="pending"),  # pending|processed|failed|quarantined
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("is_deal_related", Boolean),
    Column("confidence", Float),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="SET NULL")),
    Column("extracted_data", JSON),
    _ts("extracted_at"),
    _ts("matched_at"),
    _created(),
    _ts("updated_at"),
    UniqueConstraint("workspace_id", "message_key"),
    Index("ix_captured_emails_ws_month", "workspace_id", "month"),
    Index("ix_captured_emails_ws_status", "workspace_id", "status"),
    Index("ix_captured_emails_ws_thread", "workspace_id", "thread_key"),
    Index("ix_captured_emails_deal", "deal_id"),
)

captured_calendar_events = Table(
    "captured_calendar_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("integration_id", Id, ForeignKey("integrations.id", ondelete="SET NULL")),
    Column("uid", String(1000), nullable=False),
    Column("recurrence_id", String(40), nullable=False, server_default=""),
    Column("month", String(7), nullable=False),
    Column("source_locator", String(1500)),
    Column("summary", Text),
    Column("description_ciphertext", LargeBinary),
    Column("description_key_id", String(40)),
    Column("location", Text),
    _ts("starts_at"),
    _ts("ends_at"),
    Column("all_day", Boolean, nullable=False, server_default="0"),
    Column("event_status", String(12)),  # confirmed | tentative | cancelled
    Column("organizer_email", String(320)),
    Column("organizer_name", String(300)),
    Column("attendees", JSON),
    Column("sequence", Integer, nullable=False, server_default="0"),
    Column("content_hash", String(80)),
    Column("status", String(12), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("is_deal_related", Boolean),
    Column("confidence", Float),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="SET NULL")),
    Column("extracted_data", JSON),
    _ts("extracted_at"),
    _ts("matched_at"),
    _created(),
    _ts("updated_at"),
    UniqueConstraint("workspace_id", "uid", "recurrence_id"),
    Index("ix_captured_calendar_events_ws_month", "workspace_id", "month"),
    Index("ix_captured_calendar_events_ws_status", "workspace_id", "status"),
    Index("ix_captured_calendar_events_deal", "deal_id"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),  # email_in | email_out | email_internal | meeting | crm
    Column("email_id", Id, ForeignKey("captured_emails.id", ondelete="CASCADE")),
    Column("event_id", Id, ForeignKey("captured_calendar_events.id", ondelete="CASCADE")),
    _ts("occurred_at", nullable=False),
    Column("summary", Text),
    Column("participants", JSON),
    _created(),
    UniqueConstraint("workspace_id", "email_id"),
    UniqueConstraint("workspace_id", "event_id"),
    Index("ix_activities_deal_time", "deal_id", "occurred_at"),
    Index("ix_activities_ws_time", "workspace_id", "occurred_at"),
)

deal_changes = Table(
    # Field-level history of every automatic or manual change to a deal, with what caused it.
    "deal_changes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(40), nullable=False),
    Column("old_value", JSON),
    Column("new_value", JSON),
    Column("email_id", Id, ForeignKey("captured_emails.id", ondelete="SET NULL")),
    Column("event_id", Id, ForeignKey("captured_calendar_events.id", ondelete="SET NULL")),
    Column("actor", String(320), nullable=False, server_default="system"),
    _ts("changed_at", nullable=False),
    Index("ix_deal_changes_deal", "deal_id", "changed_at"),
)

deal_health_scores = Table(
    "deal_health_scores",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("score", Float, nullable=False),
    Column("win_probability", Float, nullable=False),
    Column("drivers", JSON),
    Column("features", JSON),
    Column("model_version", String(80)),
    _created(),
    UniqueConstraint("workspace_id", "deal_id", "as_of"),
)

insights = Table(
    "insights",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="CASCADE")),
    Column("kind", String(30), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text),
    Column("evidence", JSON),
    Column("actions", JSON),
    Column("confidence", Float),
    Column("priority", String(10), nullable=False, server_default="medium"),  # high | medium | low
    Column("status", String(15), nullable=False, server_default="open"),  # open | acknowledged | dismissed | resolved
    Column("owner_email", String(320)),
    _ts("detected_at", nullable=False),
    _ts("resolved_at"),
    _ts("updated_at"),
    Index("ix_insights_ws_status", "workspace_id", "status"),
    Index("ix_insights_deal_kind", "workspace_id", "deal_id", "kind"),
)

revenue_forecasts = Table(
    "revenue_forecasts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("as_of", Date, nullable=False),
    Column("horizon_days", Integer, nullable=False),
    Column("currency", String(3)),
    Column("likely", Float, nullable=False),
    Column("best", Float, nullable=False),
    Column("worst", Float, nullable=False),
    Column("confidence", Float),
    Column("pipeline_component", Float),
    Column("run_rate_component", Float),
    Column("baseline_run_rate", Float),
    Column("baseline_weighted_pipeline", Float),
    Column("drivers", JSON),
    Column("actual", Float),
    _ts("actual_filled_at"),
    Column("model_version", String(80)),
    _created(),
    UniqueConstraint("workspace_id", "as_of", "horizon_days"),
)

ai_predictions = Table(
    "ai_predictions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("kind", String(30), nullable=False),  # win_probability | deal_related | forecast
    Column("subject_type", String(20), nullable=False),  # deal | email | event | workspace
    Column("subject_id", String(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("prediction", JSON, nullable=False),
    Column("outcome", JSON),
    _ts("outcome_at"),
    Column("model_version", String(80)),
    _created(),
    UniqueConstraint("workspace_id", "kind", "subject_type", "subject_id", "as_of"),
)

recommendation_feedback = Table(
    "recommendation_feedback",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("insight_id", Id, ForeignKey("insights.id", ondelete="CASCADE"), nullable=False),
    Column("user_email", String(320)),
    Column("action", String(15), nullable=False),  # acknowledged | dismissed | rated
    Column("rating", Integer),  # 1..5
    Column("comment", Text),
    _created(),
)

deal_embeddings = Table(
    "deal_embeddings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ws_fk(),
    Column("deal_id", Id, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False),
    Column("point_id", String(36), nullable=False),
    Column("collection", String(200), nullable=False),
    Column("model", String(100), nullable=False),
    Column("text_hash", String(64), nullable=False),
    _ts("embedded_at", nullable=False),
    UniqueConstraint("workspace_id", "deal_id", "model"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("workspace_id", Id, ForeignKey("workspaces.id", ondelete="SET NULL")),
    Column("actor", String(320), nullable=False, server_default="system"),
    Column("action", String(60), nullable=False),
    Column("subject_type", String(30)),
    Column("subject_id", String(200)),
    Column("details", JSON),
    _created(),
    Index("ix_audit_log_ws_time", "workspace_id", "created_at"),
)
