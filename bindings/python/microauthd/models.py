"""Wire models of both planes, with the contract's field names (snake_case, `desc` on scopes)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Type, TypeVar

T = TypeVar("T")


class MadApiError(Exception):
    """Any failed call: `status` (0 = no connection), `message` (the server's words), `error` (OAuth code)."""

    def __init__(self, status: int, message: str, body: Any = None, error: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body
        self.error = error

    @classmethod
    def from_response(cls, status: int, body: Any) -> "MadApiError":
        if isinstance(body, dict):
            if isinstance(body.get("error"), str):
                return cls(status, body.get("error_description") or body["error"], body, body["error"])
            if isinstance(body.get("message"), str):
                return cls(status, body["message"], body)
        return cls(status, body if isinstance(body, str) and body else f"HTTP {status}", body)

    def __str__(self) -> str:
        return f"{self.message} (HTTP {self.status})"


def from_dict(cls: Type[T], data: Dict[str, Any]) -> T:
    """Builds a dataclass from a wire object, ignoring fields this version does not know."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    known = {k: v for k, v in data.items() if k in names}
    obj = cls(**known)
    setattr(obj, "extra", {k: v for k, v in data.items() if k not in names})
    return obj


@dataclass
class MessageResponse:
    success: bool = False
    message: str = ""


@dataclass
class TokenResponse:
    access_token: str = ""
    token_type: str = ""
    expires_in: int = 0
    jti: str = ""
    refresh_token: Optional[str] = None
    aud: str = ""
    id_token: Optional[str] = None


@dataclass
class UserObject:
    id: str = ""
    username: str = ""
    email: str = ""
    created_at: Optional[str] = None
    lockout_until: Optional[str] = None
    is_active: bool = True
    email_verified: bool = False
    totp_enabled: bool = False


@dataclass
class RoleObject:
    id: str = ""
    name: str = ""
    description: Optional[str] = None
    is_protected: bool = False
    is_active: bool = True


@dataclass
class RoleDto:
    id: str = ""
    name: str = ""


@dataclass
class PermissionObject:
    id: str = ""
    name: str = ""


@dataclass
class ScopeObject:
    id: str = ""
    name: str = ""
    desc: Optional[str] = None
    is_active: bool = True
    is_protected: bool = False
    created_at: Optional[str] = None


@dataclass
class ClientObject:
    id: str = ""
    client_id: str = ""
    display_name: str = ""
    is_active: bool = True
    created_at: Optional[str] = None
    audience: str = ""
    client_secret: Optional[str] = None


@dataclass
class ClientRedirectUriObject:
    id: str = ""
    client_id: str = ""
    redirect_uri: str = ""


@dataclass
class ExternalIdpProvider:
    id: str = ""
    client_id: str = ""
    provider_key: str = ""
    display_name: str = ""
    issuer: str = ""
    client_identifier: str = ""
    scopes: str = "openid email profile"
    created_at: Optional[str] = None
    modified_at: Optional[str] = None


@dataclass
class SessionResponse:
    id: str = ""
    user_id: str = ""
    username: str = ""
    client_id: str = ""
    issued_at: Optional[str] = None
    expires_at: Optional[str] = None
    is_revoked: bool = False
    token_use: str = ""
    mad_use: str = ""
    login_method: Optional[str] = None
    is_session_based: bool = False
    session_max_age: int = 0
    session_expires_at: Optional[str] = None


@dataclass
class RefreshTokenResponse:
    id: str = ""
    user_id: str = ""
    username: str = ""
    session_id: str = ""
    client_id: str = ""
    issued_at: Optional[str] = None
    expires_at: Optional[str] = None
    is_revoked: bool = False
    is_openid_token: bool = False


@dataclass
class AuditLogResponse:
    id: str = ""
    actor_id: Optional[str] = None
    action: str = ""
    secondary: Optional[str] = None
    target: Optional[str] = None
    timestamp: Optional[str] = None
    ip_address: Optional[str] = None
    user_agent: Optional[str] = None


@dataclass
class RevokeResponse:
    jti: str = ""
    status: str = ""
    message: str = ""


@dataclass
class AccessCheckResponse:
    user_id: str = ""
    permission_id: str = ""
    allowed: bool = False


@dataclass
class TotpQrResponse:
    success: bool = False
    filename: Optional[str] = None
    otpauth_uri: Optional[str] = None
    qr_svg: Optional[str] = None


@dataclass
class KeyInfo:
    kid: str = ""
    alg: str = ""
    status: str = ""
    created_at: Optional[str] = None
    activated_at: Optional[str] = None
    retired_at: Optional[str] = None
    publish_until: Optional[str] = None


@dataclass
class PkceAuthorizeResponse:
    """`POST /authorize`, `/login/password`, `/login/totp` answer."""
    jti: str = ""
    client_id: str = ""
    redirect_uri: str = ""
    requires_totp: bool = False
    is_session_based: bool = False


@dataclass
class AuthSessionView:
    """`GET /auth-session/{jti}`: what a login page may show."""
    jti: str = ""
    client_id: str = ""
    client_name: str = ""
    scope: str = ""
    requires_totp: bool = False
    redirect_host: str = ""
    redirect_origin: str = ""
    expires_at: Optional[str] = None


@dataclass
class Page:
    """A list plus the server's X-Total-Count."""
    items: List[Any] = field(default_factory=list)
    total: int = 0
