"""Errors a sync must tell apart: the grant is gone (a person must act) vs. try again later."""

from __future__ import annotations


class ReauthRequired(RuntimeError):
    """The provider no longer accepts our credentials (revoked, expired, password changed).

    The integration is marked `needs_reauth`; other integrations keep syncing.
    """


class RetriesExhausted(RuntimeError):
    """A transient provider error persisted beyond the retry budget; the next sync retries."""
