"""Client for every route of the microauthd ADMIN plane (default http://127.0.0.1:9041)."""
from __future__ import annotations

import urllib.parse
from typing import Any, Dict, List, Optional, Sequence, Type, TypeVar

from ._http import Transport
from .models import (
    AccessCheckResponse, AuditLogResponse, ClientObject, ClientRedirectUriObject, ExternalIdpProvider, KeyInfo,
    MessageResponse, Page, PermissionObject, RefreshTokenResponse, RevokeResponse, RoleDto, RoleObject, ScopeObject,
    SessionResponse, TokenResponse, TotpQrResponse, UserObject, from_dict,
)

T = TypeVar("T")


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class AdminClient:
    """Every method returns the wire model and raises MadApiError on failure."""

    def __init__(self, base_url: str = "http://127.0.0.1:9041", token: Optional[str] = None, timeout: float = 30.0) -> None:
        self.http = Transport(base_url, token, timeout)

    @property
    def token(self) -> Optional[str]:
        return self.http.token

    @token.setter
    def token(self, value: Optional[str]) -> None:
        self.http.token = value

    # -- plumbing --------------------------------------------------------------------------------------
    def _one(self, cls: Type[T], method: str, path: str, **kw: Any) -> T:
        body, _ = self.http.request(method, path, shape=dict, **kw)
        return from_dict(cls, body)

    def _many(self, cls: Type[T], method: str, path: str, **kw: Any) -> List[T]:
        body, _ = self.http.request(method, path, shape=list, **kw)
        return [from_dict(cls, item) for item in body]

    def _page(self, cls: Type[T], path: str, query: Dict[str, Any]) -> Page:
        body, headers = self.http.request("GET", path, query=query, shape=list)
        items = [from_dict(cls, item) for item in body]
        return Page(items=items, total=int(headers.get("x-total-count", len(items))))

    def _msg(self, method: str, path: str, **kw: Any) -> MessageResponse:
        return self._one(MessageResponse, method, path, **kw)

    def _raw(self, method: str, path: str, **kw: Any) -> Any:
        return self.http.request(method, path, **kw)[0]

    def _dict(self, method: str, path: str, **kw: Any) -> Dict[str, Any]:
        return self.http.request(method, path, shape=dict, **kw)[0]

    def _str(self, method: str, path: str, **kw: Any) -> str:
        return self.http.request(method, path, shape=str, **kw)[0]

    # -- info, login, keys ------------------------------------------------------------------------------
    def ping(self) -> Dict[str, Any]:
        return self._dict("GET", "/ping", anonymous=True)

    def version(self) -> Dict[str, Any]:
        return self._dict("GET", "/version", anonymous=True)

    def login(self, username: str, password: str, client_id: str = "admin") -> TokenResponse:
        """Admin login; keeps the token on this client for later calls."""
        res = self._one(TokenResponse, "POST", "/token", anonymous=True,
                        form={"username": username, "password": password, "client_id": client_id})
        self.http.token = res.access_token
        return res

    def admin_jwks(self) -> Dict[str, Any]:
        """The admin plane's published keys (GET /jwks.json on the admin port: verifying admin tokens)."""
        return self._dict("GET", "/jwks.json", anonymous=True)

    def list_keys(self, plane: str) -> List[KeyInfo]:
        return self._many(KeyInfo, "GET", f"/keys/{_q(plane)}")

    def rotate_keys(self, plane: str) -> List[KeyInfo]:
        return self._many(KeyInfo, "POST", f"/keys/{_q(plane)}/rotate")

    def introspect(self, token: str, token_type_hint: Optional[str] = None) -> Dict[str, Any]:
        """An active auth-plane access or refresh token: its claims plus `valid`, `expired`, `active`; an inactive one:
        `{"active": False}` alone. `token_type_hint` ("access_token" or "refresh_token") says which kind to look up first."""
        body: Dict[str, Any] = {"token": token}
        if token_type_hint is not None:
            body["token_type_hint"] = token_type_hint
        return self._dict("POST", "/introspect", json_body=body)

    def revoke(self, token: str, token_type_hint: Optional[str] = None) -> MessageResponse:
        return self._msg("POST", "/revoke", form={"token": token, "token_type_hint": token_type_hint})

    # -- users --------------------------------------------------------------------------------------
    def create_user(self, username: str, email: str, password: str) -> UserObject:
        return self._one(UserObject, "POST", "/users", json_body={"username": username, "email": email, "password": password})

    def list_users(self, limit: int = 50, offset: int = 0, include_inactive: bool = False) -> Page:
        return self._page(UserObject, "/users", {"limit": limit, "offset": offset, "include_inactive": include_inactive or None})

    def get_user(self, user_id: str) -> UserObject:
        return self._one(UserObject, "GET", f"/users/{_q(user_id)}")

    def user_id_by_name(self, username: str) -> str:
        return self._str("GET", f"/users/id-by-name/{_q(username)}")

    def update_user(self, user_id: str, **fields: Any) -> UserObject:
        """Partial update: pass only what changes (username, email, is_active, lockout_until, email_verified)."""
        return self._one(UserObject, "PUT", f"/users/{_q(user_id)}", json_body={"id": user_id, **fields})

    def verify_email(self, user_id: str) -> MessageResponse:
        return self._msg("POST", f"/users/{_q(user_id)}/verify-email")

    def deactivate_user(self, user_id: str) -> MessageResponse:
        return self._msg("POST", f"/users/deactivate/{_q(user_id)}")

    def activate_user(self, user_id: str) -> MessageResponse:
        return self._msg("POST", f"/users/{_q(user_id)}/activate")

    def delete_user(self, user_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/users/{_q(user_id)}")

    def reset_password(self, user_id: str, new_password: str) -> MessageResponse:
        return self._msg("POST", f"/users/{_q(user_id)}/reset", json_body={"new_password": new_password})

    def set_lockout(self, user_id: str, lockout_until: Optional[str]) -> MessageResponse:
        """An ISO-8601 date locks until then (and revokes sessions); None clears the lockout."""
        return self._msg("POST", f"/users/{_q(user_id)}/set-lockout", json_body={"lockout_until": lockout_until}, send_json=True)

    def generate_totp(self, user_id: str, client_id: str, qr_output_path: str = ".") -> TotpQrResponse:
        return self._one(TotpQrResponse, "POST", f"/users/{_q(user_id)}/totp/generate",
                         json_body={"user_id": user_id, "client_id": client_id, "qr_output_path": qr_output_path})

    def verify_totp(self, user_id: str, client_id: str, code: str) -> MessageResponse:
        return self._msg("POST", "/users/totp/verify", json_body={"user_id": user_id, "client_id": client_id, "code": code})

    def disable_totp(self, user_id: str, client_id: str) -> MessageResponse:
        return self._msg("POST", f"/users/{_q(user_id)}/{_q(client_id)}/disable-totp")

    def user_scopes(self, user_id: str) -> List[ScopeObject]:
        return self._many(ScopeObject, "GET", f"/users/{_q(user_id)}/scopes")

    def assign_user_scopes(self, user_id: str, scope_ids: Sequence[str]) -> MessageResponse:
        return self._msg("POST", f"/users/{_q(user_id)}/scopes", json_body={"scope_ids": list(scope_ids)})

    def remove_user_scope(self, user_id: str, scope_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/users/{_q(user_id)}/scopes/{_q(scope_id)}")

    def user_roles(self, user_id: str, all_roles: bool = False) -> List[RoleDto]:
        return self._many(RoleDto, "GET", f"/users/{_q(user_id)}/roles", query={"all": all_roles})

    def replace_user_roles(self, user_id: str, roles: Sequence[RoleDto]) -> MessageResponse:
        return self._msg("PUT", f"/users/{_q(user_id)}/roles", json_body=[{"id": r.id, "name": r.name} for r in roles], send_json=True)

    # -- roles ----------------------------------------------------------------------------------------
    def create_role(self, name: str, description: str = "") -> RoleObject:
        return self._one(RoleObject, "POST", "/roles", json_body={"name": name, "description": description})

    def update_role(self, role_id: str, **fields: Any) -> RoleObject:
        return self._one(RoleObject, "PUT", f"/roles/{_q(role_id)}", json_body={"id": role_id, **fields})

    def list_roles(self) -> List[RoleObject]:
        return self._many(RoleObject, "GET", "/roles")

    def get_role(self, role_id: str) -> RoleObject:
        return self._one(RoleObject, "GET", f"/roles/{_q(role_id)}")

    def role_id_by_name(self, name: str) -> str:
        return self._str("GET", f"/roles/id-by-name/{_q(name)}")

    def delete_role(self, role_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/roles/{_q(role_id)}")

    def assign_role(self, user_id: str, role_id: str) -> MessageResponse:
        return self._msg("POST", "/roles/assign", json_body={"user_id": user_id, "role_id": role_id})

    def unassign_role(self, user_id: str, role_id: str) -> MessageResponse:
        return self._msg("POST", "/roles/unassign", json_body={"user_id": user_id, "role_id": role_id})

    def role_ids_of_user(self, user_id: str) -> List[str]:
        return self._raw("GET", f"/roles/user/{_q(user_id)}")

    def assign_permission(self, role_id: str, permission_id: str) -> MessageResponse:
        return self._msg("POST", f"/roles/{_q(role_id)}/permissions", json_body={"permission_id": permission_id})

    def remove_permission(self, role_id: str, permission_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/roles/{_q(role_id)}/permissions/{_q(permission_id)}")

    def role_permissions(self, role_id: str) -> List[PermissionObject]:
        return self._many(PermissionObject, "GET", f"/roles/{_q(role_id)}/permissions")

    # -- permissions -------------------------------------------------------------------------------------
    def create_permission(self, name: str) -> PermissionObject:
        return self._one(PermissionObject, "POST", "/permissions", json_body={"name": name})

    def update_permission(self, permission_id: str, name: str) -> PermissionObject:
        return self._one(PermissionObject, "PUT", f"/permissions/{_q(permission_id)}", json_body={"id": permission_id, "name": name})

    def list_permissions(self) -> List[PermissionObject]:
        return self._many(PermissionObject, "GET", "/permissions")

    def get_permission(self, permission_id: str) -> PermissionObject:
        return self._one(PermissionObject, "GET", f"/permissions/{_q(permission_id)}")

    def permission_id_by_name(self, name: str) -> str:
        return self._str("GET", f"/permissions/id-by-name/{_q(name)}")

    def delete_permission(self, permission_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/permissions/{_q(permission_id)}")

    def all_permission_dtos(self) -> List[RoleDto]:
        return self._many(RoleDto, "GET", "/permissions/retrieve/all")

    def permission_dtos_of_role(self, role_id: str) -> List[RoleDto]:
        return self._many(RoleDto, "GET", f"/permissions/retrieve/{_q(role_id)}")

    def user_permissions(self, user_id: str) -> List[PermissionObject]:
        return self._many(PermissionObject, "GET", f"/permissions/user/{_q(user_id)}")

    def check_access(self, user_id: str, permission_id: str) -> AccessCheckResponse:
        return self._one(AccessCheckResponse, "POST", "/check-access", json_body={"user_id": user_id, "permission_id": permission_id})

    # -- scopes ----------------------------------------------------------------------------------------
    def create_scope(self, name: str, desc: str = "") -> ScopeObject:
        return self._one(ScopeObject, "POST", "/scopes", json_body={"name": name, "desc": desc})

    def update_scope(self, scope_id: str, **fields: Any) -> ScopeObject:
        return self._one(ScopeObject, "PUT", f"/scopes/{_q(scope_id)}", json_body={"id": scope_id, **fields})

    def list_scopes(self) -> List[ScopeObject]:
        return self._many(ScopeObject, "GET", "/scopes")

    def get_scope(self, scope_id: str) -> ScopeObject:
        return self._one(ScopeObject, "GET", f"/scopes/{_q(scope_id)}")

    def scope_id_by_name(self, name: str) -> str:
        return self._str("GET", f"/scopes/id-by-name/{_q(name)}")

    def delete_scope(self, scope_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/scopes/{_q(scope_id)}")

    # -- clients ---------------------------------------------------------------------------------------
    def create_client(self, client_id: str, client_secret: Optional[str] = None, display_name: str = "",
                      audience: str = "microauthd") -> ClientObject:
        """Without client_secret the server generates one and returns it once in `client_secret`."""
        body = {"client_id": client_id, "display_name": display_name, "audience": audience}
        if client_secret:
            body["client_secret"] = client_secret
        return self._one(ClientObject, "POST", "/clients", json_body=body)

    def update_client(self, client_key: str, **fields: Any) -> ClientObject:
        return self._one(ClientObject, "PUT", f"/clients/{_q(client_key)}", json_body=fields)

    def list_clients(self) -> List[ClientObject]:
        return self._many(ClientObject, "GET", "/clients")

    def get_client(self, client_key: str) -> ClientObject:
        return self._one(ClientObject, "GET", f"/clients/{_q(client_key)}")

    def client_id_by_name(self, client_identifier: str) -> str:
        return self._str("GET", f"/clients/id-by-name/{_q(client_identifier)}")

    def change_client_secret(self, client_key: str, new_secret: Optional[str] = None) -> MessageResponse:
        """The answer's `message` is the new secret (shown once)."""
        return self._msg("POST", "/clients/secret", json_body={"client_id": client_key, "new_secret": new_secret})

    def delete_client(self, client_key: str) -> MessageResponse:
        return self._msg("DELETE", f"/clients/{_q(client_key)}")

    def add_redirect_uri(self, client_key: str, uri: str) -> ClientRedirectUriObject:
        return self._one(ClientRedirectUriObject, "POST", f"/clients/{_q(client_key)}/redirect-uris", json_body={"redirect_uri": uri})

    def list_redirect_uris(self, client_key: str) -> List[ClientRedirectUriObject]:
        return self._many(ClientRedirectUriObject, "GET", f"/clients/{_q(client_key)}/redirect-uris")

    def delete_redirect_uri(self, redirect_uri_id: str, via_body: bool = False) -> MessageResponse:
        """`via_body` uses the original form (`DELETE /clients/redirect-uris` with a JSON-string id body)."""
        if via_body:
            return self._msg("DELETE", "/clients/redirect-uris", json_body=redirect_uri_id, send_json=True)
        return self._msg("DELETE", f"/clients/redirect-uris/{_q(redirect_uri_id)}")

    def list_idps(self, client_key: str) -> List[ExternalIdpProvider]:
        return self._many(ExternalIdpProvider, "GET", f"/clients/{_q(client_key)}/idp")

    def add_idp(self, client_key: str, provider_key: str, display_name: str, issuer: str, client_identifier: str,
                scopes: str = "openid email profile") -> ExternalIdpProvider:
        return self._one(ExternalIdpProvider, "POST", f"/clients/{_q(client_key)}/idp", json_body={
            "client_id": client_key, "provider_key": provider_key, "display_name": display_name, "issuer": issuer,
            "client_identifier": client_identifier, "scopes": scopes})

    def update_idp(self, client_key: str, idp_id: str, **fields: Any) -> ExternalIdpProvider:
        return self._one(ExternalIdpProvider, "PUT", f"/clients/{_q(client_key)}/idp/{_q(idp_id)}",
                         json_body={"id": idp_id, "client_id": client_key, **fields})

    def delete_idp(self, client_key: str, idp_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/clients/{_q(client_key)}/idp/{_q(idp_id)}")

    def assign_client_scopes(self, client_key: str, scope_ids: Sequence[str]) -> MessageResponse:
        return self._msg("POST", f"/clients/{_q(client_key)}/scopes", json_body={"scope_ids": list(scope_ids)})

    def client_scopes(self, client_key: str) -> List[ScopeObject]:
        return self._many(ScopeObject, "GET", f"/clients/{_q(client_key)}/scopes")

    def remove_client_scope(self, client_key: str, scope_id: str) -> MessageResponse:
        return self._msg("DELETE", f"/clients/{_q(client_key)}/scopes/{_q(scope_id)}")

    # -- client feature flags ------------------------------------------------------------------------------
    def set_flag(self, client_key: str, flag: str, enabled: bool) -> MessageResponse:
        return self._msg("POST", f"/client/options/{_q(flag)}", form={"client_id": client_key, "enabled": "true" if enabled else "false"})

    def get_flag(self, client_key: str, flag: str) -> bool:
        body = self._dict("GET", f"/client/options/{_q(flag)}", query={"client_id": client_key})
        return bool(body.get("enabled", body.get("message") == "True"))

    def set_flag_options(self, client_key: str, flag: str, options: str) -> MessageResponse:
        return self._msg("POST", f"/client/options/{_q(flag)}/ext", form={"client_id": client_key, "options": options})

    def get_flag_options(self, client_key: str, flag: str) -> str:
        return self._dict("GET", f"/client/options/{_q(flag)}/ext", query={"client_id": client_key}).get("message", "")

    # -- sessions and refresh tokens -----------------------------------------------------------------------
    def list_sessions(self, limit: int = 100, offset: int = 0, client_id: Optional[str] = None, mad_use: Optional[str] = None,
                      active: Optional[bool] = None) -> Page:
        """Newest first. Filters (None: no filter): `client_id` (the client identifier), `mad_use` ("auth" or "admin":
        the plane the token is for), `active` (True: neither revoked nor expired; False: revoked or expired)."""
        return self._page(SessionResponse, "/sessions", {"limit": limit, "offset": offset, "client_id": client_id,
                                                          "mad_use": mad_use, "active": active})

    def get_session(self, jti: str) -> SessionResponse:
        return self._one(SessionResponse, "GET", f"/sessions/{_q(jti)}")

    def revoke_session(self, jti: str) -> RevokeResponse:
        return self._one(RevokeResponse, "DELETE", f"/sessions/{_q(jti)}")

    def sessions_of_user(self, user_id: str) -> List[SessionResponse]:
        return self._many(SessionResponse, "GET", f"/sessions/user/{_q(user_id)}")

    def purge_sessions(self, older_than_seconds: int, purge_expired: bool = True, purge_revoked: bool = False) -> MessageResponse:
        return self._msg("POST", "/sessions/purge", json_body={"older_than_seconds": older_than_seconds,
                                                             "purge_expired": purge_expired, "purge_revoked": purge_revoked})

    def list_refresh_tokens(self, limit: int = 100, offset: int = 0) -> Page:
        return self._page(RefreshTokenResponse, "/refresh-tokens", {"limit": limit, "offset": offset})

    def get_refresh_token(self, token_id: str) -> RefreshTokenResponse:
        return self._one(RefreshTokenResponse, "GET", f"/refresh-tokens/{_q(token_id)}")

    def refresh_tokens_of_user(self, user_id: str) -> List[RefreshTokenResponse]:
        return self._many(RefreshTokenResponse, "GET", f"/refresh-tokens/user/{_q(user_id)}")

    def revoke_refresh_token(self, token_id: str) -> MessageResponse:
        """Revokes the refresh token and its whole family (every token rotated from the same grant)."""
        return self._msg("DELETE", f"/refresh-tokens/{_q(token_id)}")

    def purge_refresh_tokens(self, older_than_seconds: int, purge_expired: bool = True, purge_revoked: bool = False) -> MessageResponse:
        return self._msg("POST", "/refresh-tokens/purge", json_body={"older_than_seconds": older_than_seconds,
                                                                   "purge_expired": purge_expired, "purge_revoked": purge_revoked})

    # -- audit log -----------------------------------------------------------------------------------
    def list_audit_logs(self, user_id: Optional[str] = None, action: Optional[str] = None, limit: int = 100) -> List[AuditLogResponse]:
        return self._many(AuditLogResponse, "GET", "/audit-logs", query={"userId": user_id, "action": action, "limit": limit})

    def get_audit_log(self, log_id: str) -> AuditLogResponse:
        return self._one(AuditLogResponse, "GET", f"/audit-logs/{_q(log_id)}")

    def purge_audit_logs(self, older_than_days: int) -> MessageResponse:
        return self._msg("POST", "/audit-logs/purge", json_body={"older_than_days": older_than_days})

    def verify_audit_chain(self) -> Dict[str, Any]:
        return self._dict("GET", "/audit-logs/verify")
