"""Microsoft 365 OAuth for IMAP (XOAUTH2) with msal.

Connect runs the device-code flow (works in a terminal or over SSH, no redirect
server needed) and keeps msal's serialized token cache, which holds the refresh
token; a sync asks msal for a fresh access token from that cache. If Microsoft
refuses (consent revoked, password reset, refresh token expired) the
integration needs re-authorisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msal

from vectoros_pipelines.connectors.errors import ReauthRequired

IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All"
DEFAULT_TENANT = "organizations"


@dataclass
class MsalGrant:
    client_id: str
    tenant: str
    username: str
    cache: str  # msal SerializableTokenCache.serialize()


def _app(client_id: str, tenant: str, cache: msal.SerializableTokenCache) -> msal.PublicClientApplication:
    return msal.PublicClientApplication(
        client_id, authority=f"https://login.microsoftonline.com/{tenant}", token_cache=cache
    )


def device_flow_grant(client_id: str, tenant: str, show: Callable[[str], None]) -> MsalGrant:
    cache = msal.SerializableTokenCache()
    app = _app(client_id, tenant, cache)
    flow = app.initiate_device_flow(scopes=[IMAP_SCOPE])
    if "user_code" not in flow:
        raise RuntimeError(f"Microsoft refused to start sign-in: {flow.get('error_description', flow)}")
    show(flow["message"])
    result = app.acquire_token_by_device_flow(flow)
    if "access_token" not in result:
        raise RuntimeError(f"Microsoft sign-in failed: {result.get('error_description', result.get('error'))}")
    username = (result.get("id_token_claims") or {}).get("preferred_username", "")
    return MsalGrant(client_id=client_id, tenant=tenant, username=username, cache=cache.serialize())


class MsalTokenSource:
    """Access tokens for one account from a stored cache; `cache` is updated when msal refreshes."""

    def __init__(self, grant: MsalGrant) -> None:
        self.grant = grant
        self._cache = msal.SerializableTokenCache()
        self._cache.deserialize(grant.cache)
        self._app = _app(grant.client_id, grant.tenant, self._cache)

    def __call__(self) -> str:
        accounts = self._app.get_accounts(username=self.grant.username or None)
        if not accounts:
            raise ReauthRequired(f"no Microsoft sign-in cached for {self.grant.username}: connect again")
        result = self._app.acquire_token_silent([IMAP_SCOPE], account=accounts[0])
        if not result or "access_token" not in result:
            detail = (result or {}).get("error_description") or "refresh token no longer accepted"
            raise ReauthRequired(f"Microsoft token for {self.grant.username}: {detail}")
        if self._cache.has_state_changed:
            self.grant.cache = self._cache.serialize()
        return str(result["access_token"])
