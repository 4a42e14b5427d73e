"""Client for every route of the microauthd AUTH plane (default http://127.0.0.1:9040)."""
from __future__ import annotations

import urllib.parse
from typing import Any, Dict, List, Optional, Type, TypeVar

from ._http import Transport, basic_auth
from .models import (
    AuthSessionView, MadApiError, MessageResponse, PkceAuthorizeResponse, RefreshTokenResponse, SessionResponse, TokenResponse,
    UserObject, from_dict,
)

T = TypeVar("T")


class AuthClient:
    """`client_id`/`client_secret` authenticate this client (HTTP Basic by default); `token` is a bearer
    access token for the self-service routes."""

    def __init__(self, base_url: str = "http://127.0.0.1:9040", client_id: Optional[str] = None,
                 client_secret: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0,
                 use_basic: bool = True) -> None:
        self.http = Transport(base_url, token, timeout)
        self.client_id = client_id
        self.client_secret = client_secret
        self.use_basic = use_basic

    @property
    def token(self) -> Optional[str]:
        return self.http.token

    @token.setter
    def token(self, value: Optional[str]) -> None:
        self.http.token = value

    def _client_form(self, form: Dict[str, Optional[str]]) -> Dict[str, Any]:
        """Client authentication: HTTP Basic (RFC 6749 §2.3.1) or form fields."""
        if self.client_id is None:
            return {"form": form, "anonymous": True}
        if self.use_basic and self.client_secret is not None:
            return {"form": form, "anonymous": True, "headers": {"Authorization": basic_auth(self.client_id, self.client_secret)}}
        return {"form": {**form, "client_id": self.client_id, "client_secret": self.client_secret}, "anonymous": True}

    def _one(self, cls: Type[T], method: str, path: str, **kw: Any) -> T:
        return from_dict(cls, self.http.request(method, path, shape=dict, **kw)[0])

    def _many(self, cls: Type[T], method: str, path: str, **kw: Any) -> List[T]:
        return [from_dict(cls, item) for item in self.http.request(method, path, shape=list, **kw)[0]]

    def _dict(self, method: str, path: str, **kw: Any) -> Dict[str, Any]:
        return self.http.request(method, path, shape=dict, **kw)[0]

    def _token(self, path: str, form: Dict[str, Optional[str]]) -> TokenResponse:
        res = self._one(TokenResponse, "POST", path, **self._client_form(form))
        self.http.token = res.access_token
        return res

    # -- info --------------------------------------------------------------------------------------------
    def ping(self) -> Dict[str, Any]:
        return self._dict("GET", "/ping", anonymous=True)

    def version(self) -> Dict[str, Any]:
        return self._dict("GET", "/version", anonymous=True)

    def jwks(self) -> Dict[str, Any]:
        return self._dict("GET", "/jwks.json", anonymous=True)

    def discovery(self) -> Dict[str, Any]:
        return self._dict("GET", "/.well-known/openid-configuration", anonymous=True)

    def authorization_server_metadata(self) -> Dict[str, Any]:
        """RFC 8414 metadata (/.well-known/oauth-authorization-server): the same document as discovery."""
        return self._dict("GET", "/.well-known/oauth-authorization-server", anonymous=True)

    def public_key_pem(self) -> str:
        """The current signing key as SPKI PEM (/keys/auth.pem), for proxies that verify with one static key."""
        return self.http.request("GET", "/keys/auth.pem", anonymous=True, expect_json=False)[0]

    # -- token grants (each keeps the new access token on this client) --------------------------------------
    def password_grant(self, username: str, password: str, totp_code: Optional[str] = None, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/token", {"grant_type": "password", "username": username, "password": password,
                                      "totp_code": totp_code, "scope": scope})

    def refresh(self, refresh_token: str) -> TokenResponse:
        return self._token("/token", {"grant_type": "refresh_token", "refresh_token": refresh_token})

    def client_credentials(self, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/token", {"grant_type": "client_credentials", "scope": scope})

    def oidc_token(self, scope: Optional[str] = None) -> TokenResponse:
        return self._token("/oidc/token", {"grant_type": "client_credentials", "scope": scope})

    def authorization_code_grant(self, code: str, redirect_uri: str, code_verifier: str) -> TokenResponse:
        """`POST /token` grant_type=authorization_code; a public client (no client_secret) sends only its client_id."""
        return self._token("/token", {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                      "code_verifier": code_verifier})

    def authorization_url(self, redirect_uri: str, code_challenge: str, scope: Optional[str] = None, nonce: Optional[str] = None,
                          state: Optional[str] = None, max_age: Optional[int] = None, code_challenge_method: str = "S256") -> str:
        """The GET /authorize URL to send a user's browser to (the hosted /login and /totp pages, then a redirect to
        `redirect_uri` with `code` and `state`; redeem with authorization_code_grant). `response_type=code`; built on
        this client's base URL, so give the client the public one."""
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge,
                  "code_challenge_method": code_challenge_method, "scope": scope, "nonce": nonce, "state": state,
                  "max_age": None if max_age is None else str(max_age)}
        return f"{self.http.base_url}/authorize?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})

    # -- headless authorization code + PKCE login: authorize → login_password → (login_totp) → finalize --------
    def authorize(self, redirect_uri: str, code_challenge: str, scope: Optional[str] = None, nonce: Optional[str] = None,
                  state: Optional[str] = None, max_age: Optional[int] = None, code_challenge_method: str = "S256") -> PkceAuthorizeResponse:
        """`POST /authorize` for this client: opens a login; `nonce` is required with the `openid` scope."""
        return self._one(PkceAuthorizeResponse, "POST", "/authorize", anonymous=True, form={
            "client_id": self.client_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge,
            "code_challenge_method": code_challenge_method, "scope": scope, "nonce": nonce, "state": state,
            "max_age": None if max_age is None else str(max_age)})

    def login_password(self, jti: str, username: str, password: str, redirect_uri: Optional[str] = None) -> PkceAuthorizeResponse:
        """`POST /login/password`; the answer's `requires_totp` says whether login_totp must follow."""
        return self._one(PkceAuthorizeResponse, "POST", "/login/password", anonymous=True,
                         form={"jti": jti, "username": username, "password": password, "redirect_uri": redirect_uri})

    def login_totp(self, jti: str, totp_code: str, redirect_uri: Optional[str] = None) -> PkceAuthorizeResponse:
        return self._one(PkceAuthorizeResponse, "POST", "/login/totp", anonymous=True,
                         form={"jti": jti, "totp_code": totp_code, "redirect_uri": redirect_uri})

    def auth_session(self, jti: str) -> AuthSessionView:
        """`GET /auth-session/{jti}`: what a login page may show about a login in progress."""
        return self._one(AuthSessionView, "GET", f"/auth-session/{urllib.parse.quote(jti, safe='')}", anonymous=True)

    def finalize(self, jti: str) -> str:
        """`POST /login/finalize`: the redirect URI, with `code` and `state`, the server answers with (302). A refused
        login (no password step, TOTP pending, unknown or expired jti) raises MadApiError 400 `Invalid credentials`."""
        status, body, headers = self.http.exchange("POST", "/login/finalize", anonymous=True, form={"jti": jti}, redirect_ok=True,
                                                   expect_json=False)
        if not headers.get("location"):
            raise MadApiError(status, f"expected a redirect from /login/finalize, got HTTP {status}", body)
        return headers["location"]

    # -- introspection and revocation (client-authenticated) ------------------------------------------------
    def introspect(self, token: str, token_type_hint: Optional[str] = None) -> Dict[str, Any]:
        return self._dict("POST", "/introspect", **self._client_form({"token": token, "token_type_hint": token_type_hint}))

    def revoke(self, token: str, token_type_hint: Optional[str] = None) -> MessageResponse:
        return self._one(MessageResponse, "POST", "/revoke", **self._client_form({"token": token, "token_type_hint": token_type_hint}))

    def verify_token(self, token: str, audience: Optional[str] = None) -> Dict[str, Any]:
        """Backend helper: is this an auth-plane ACCESS token, valid right now (and meant for `audience`, when
        given)? Delegates the signature, issuer, expiry and revocation checks to the server (RFC 7662
        introspection), so it needs only the standard library; introspection also answers `active` for a live
        refresh token, which is refused here. Raises MadApiError(401) otherwise; returns the introspection."""
        result = self.introspect(token, "access_token")
        if not result.get("active"):
            raise MadApiError(401, "token is not active", result)
        if result.get("token_type") != "access_token" or result.get("token_use") != "access" or result.get("mad") != "auth":
            raise MadApiError(401, "not an auth-plane access token", result)
        aud = result.get("aud")
        if audience is not None and audience not in (aud if isinstance(aud, list) else [aud]):
            raise MadApiError(401, "token not meant for this audience", result)
        return result

    def verify(self, token: str, scope: Optional[str] = None, role: Optional[str] = None, aud: Optional[str] = None) -> Dict[str, str]:
        """GET /verify (forward-auth): returns the X-Auth-* identity headers when the token passes (every `scope`,
        any `role`, every `aud`: space-separated); a refusal raises MadApiError 401 or 403. A 2xx answer without the
        X-Auth-Sub header (not microauthd's /verify: another web server at the base URL, say) raises MadApiError too."""
        status, body, headers = self.http.exchange("GET", "/verify", query={"scope": scope, "role": role, "aud": aud},
                                                   headers={"Authorization": f"Bearer {token}"}, expect_json=False)
        if "x-auth-sub" not in headers:
            raise MadApiError(status, f"expected the X-Auth-Sub header from GET /verify, got none (HTTP {status}); "
                                      f"is {self.http.base_url} a microauthd auth plane?", body)
        return {k: v for k, v in headers.items() if k.startswith("x-auth-")}

    # -- self-service (bearer) -------------------------------------------------------------------------
    def userinfo(self) -> Dict[str, Any]:
        return self._dict("GET", "/userinfo")

    def me(self) -> Dict[str, Any]:
        return self._dict("GET", "/me")

    def me_sessions(self) -> List[SessionResponse]:
        return self._many(SessionResponse, "GET", "/me/sessions")

    def me_refresh_tokens(self) -> List[RefreshTokenResponse]:
        return self._many(RefreshTokenResponse, "GET", "/me/refresh-tokens")

    def whoami(self) -> Dict[str, Any]:
        return self._dict("GET", "/whoami")

    def logout(self) -> MessageResponse:
        return self._one(MessageResponse, "POST", "/logout")

    def logout_all(self) -> MessageResponse:
        return self._one(MessageResponse, "POST", "/logout-all")

    # -- scoped user administration (bearer with admin:* scopes) ----------------------------------------------
    def provision_user(self, username: str, email: str, password: str) -> UserObject:
        return self._one(UserObject, "POST", "/user", json_body={"username": username, "email": email, "password": password})

    def reset_user_password(self, user_id: str, new_password: str) -> MessageResponse:
        q = urllib.parse.quote(user_id, safe="")
        return self._one(MessageResponse, "POST", f"/user/{q}/reset", json_body={"new_password": new_password})

    def deactivate_user(self, user_id: str) -> MessageResponse:
        q = urllib.parse.quote(user_id, safe="")
        return self._one(MessageResponse, "POST", f"/user/{q}/deactivate")

    def read_user(self, user_id: str) -> UserObject:
        return self._one(UserObject, "GET", f"/user/{urllib.parse.quote(user_id, safe='')}")

    def list_users(self) -> List[UserObject]:
        return self._many(UserObject, "GET", "/users")
